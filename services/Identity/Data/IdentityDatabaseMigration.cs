using McpPlatform.Core;
using McpPlatform.Identity.Data.Seed;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace McpPlatform.Identity.Data;

/// <summary>
/// The identity database's step in the db-migrator: applies the EF Core migrations, then (in
/// Development or with <c>Seed:Enabled=true</c>) the demo directory.
/// </summary>
internal sealed class IdentityDatabaseMigration(
    IOptions<SeedOptions> seed,
    IHostEnvironment environment,
    ILoggerFactory loggerFactory) : IDatabaseMigration
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<IdentityDatabaseMigration>();

    public string Database => InfrastructureResources.IdentityDatabase;

    public async Task ApplyAsync(string connectionString, CancellationToken cancellationToken)
    {
        // The migrator hands each step its own connection string, so the step builds its own small
        // container: the OpenIddict managers it seeds through need EF stores bound to this database.
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddLogging();
        services.AddDbContext<IdentityDbContext>(options => options.UseIdentityDatabase(connectionString));
        services.AddOpenIddict().AddCore(options => options.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>());

        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        await db.Database.MigrateAsync(cancellationToken);

        if (!environment.IsDevelopment() && !seed.Value.Enabled)
        {
            _logger.LogInformation("Demo data not seeded: not Development and Seed:Enabled is not true.");
            return;
        }

        var seeder = new DirectorySeeder(
            db, scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>(), seed.Value, _logger);
        await seeder.SeedAsync(cancellationToken);
        _logger.LogInformation("Demo directory seeded.");
    }
}

/// <summary>Registration of the identity database for the db-migrator and the identity service.</summary>
public static class IdentityDataExtensions
{
    /// <summary>
    /// Registers the identity database's <see cref="IDatabaseMigration"/> (schema migrations plus the
    /// demo directory in Development or with <c>Seed:Enabled=true</c>, secrets from the <c>Seed</c>
    /// section). Called by the db-migrator; the identity service itself never migrates.
    /// </summary>
    /// <param name="builder">The migrator's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddIdentityDatabaseMigration(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<SeedOptions>(builder.Configuration.GetSection(SeedOptions.SectionName));
        builder.Services.AddSingleton<IDatabaseMigration, IdentityDatabaseMigration>();
        return builder;
    }

    /// <summary>Points a context at the identity database with the options every user of it needs.</summary>
    /// <param name="options">The context options.</param>
    /// <param name="connectionString">The identity database's connection string.</param>
    /// <returns>The same options.</returns>
    public static DbContextOptionsBuilder UseIdentityDatabase(this DbContextOptionsBuilder options, string connectionString)
    {
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(typeof(IdentityDbContext).Assembly.GetName().Name));
        options.UseOpenIddict();
        return options;
    }
}

/// <summary>Lets <c>dotnet ef</c> build the context without the running service.</summary>
internal sealed class IdentityDbContextDesignFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<IdentityDbContext>
{
    public IdentityDbContext CreateDbContext(string[] args)
    {
        // Design time only (adding migrations): no connection is opened.
        var options = new DbContextOptionsBuilder<IdentityDbContext>();
        options.UseIdentityDatabase("Host=localhost;Database=identitydb");
        return new IdentityDbContext(options.Options);
    }
}
