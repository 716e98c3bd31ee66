using McpPlatform.CollectorTenant.Data;
using McpPlatform.Core;
using McpPlatform.Identity.Data;
using McpPlatform.Secrets.Data;
using McpPlatform.ToolsWorkspace.Data;
using Npgsql;

namespace McpPlatform.DbMigrator;

/// <summary>Registration of the migration worker.</summary>
public static class DbMigratorExtensions
{
    /// <summary>
    /// Registers the worker that creates the platform's databases and applies every
    /// registered <see cref="IDatabaseMigration"/>, then stops the process. Services wait for
    /// it to complete (<c>WaitForCompletion</c> in the AppHost).
    /// </summary>
    /// <param name="builder">The worker's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddDbMigrator(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(InfrastructureResources.Postgres)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{InfrastructureResources.Postgres} is not set; the AppHost passes it with WithReference.");
        builder.Services.AddSingleton(new NpgsqlDataSourceBuilder(connectionString).Build());
        builder.AddIdentityDatabaseMigration();
        builder.AddAuditDatabaseMigration();
        builder.AddSecretsDatabaseMigration();
        builder.AddWorkspaceDatabaseMigration();
        builder.Services.AddHostedService<MigrationWorker>();
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(MigrationWorker.ActivitySourceName));
        return builder;
    }
}
