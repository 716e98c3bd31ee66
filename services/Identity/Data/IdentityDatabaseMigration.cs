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
