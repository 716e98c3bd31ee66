using McpPlatform.Core;
using McpPlatform.Identity.Data.Seed;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.Identity.Data;

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
