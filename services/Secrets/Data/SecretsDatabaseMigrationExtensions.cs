using McpPlatform.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.Secrets.Data;

/// <summary>Registration of the secrets database's migration step.</summary>
public static class SecretsDatabaseMigrationExtensions
{
    /// <summary>Registers the secrets database step with the db-migrator (reads <c>Secrets:AppPassword</c>).</summary>
    /// <param name="builder">The migrator's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddSecretsDatabaseMigration(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IDatabaseMigration, SecretsDatabaseMigration>();
        return builder;
    }
}
