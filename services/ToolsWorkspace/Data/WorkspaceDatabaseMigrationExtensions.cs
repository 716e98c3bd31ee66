using McpPlatform.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.ToolsWorkspace.Data;

/// <summary>Registration of the workspace database's migration step.</summary>
public static class WorkspaceDatabaseMigrationExtensions
{
    /// <summary>
    /// Registers the workspace database step with the db-migrator (reads <c>Workspace:AppPassword</c>,
    /// and <c>Seed:Enabled</c> for the demo tenants' <c>partner</c> connection).
    /// </summary>
    /// <param name="builder">The migrator's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddWorkspaceDatabaseMigration(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IDatabaseMigration, WorkspaceDatabaseMigration>();
        return builder;
    }
}
