using McpPlatform.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.CollectorTenant.Data;

/// <summary>Registration of the audit database's migration step.</summary>
public static class AuditDatabaseMigrationExtensions
{
    /// <summary>Registers the audit database step with the db-migrator (reads <c>Audit:AppPassword</c>).</summary>
    /// <param name="builder">The migrator's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddAuditDatabaseMigration(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IDatabaseMigration, AuditDatabaseMigration>();
        return builder;
    }
}
