using Npgsql;

namespace McpPlatform.DbMigrator;

/// <summary>
/// One service's schema step, applied by the migrator to that service's database before the
/// service starts. Implementations must be idempotent: the migrator runs on every start.
/// </summary>
public interface IDatabaseMigration
{
    /// <summary>The database this step applies to (<c>InfrastructureResources.Databases</c>).</summary>
    string Database { get; }

    /// <summary>Brings the schema up to date.</summary>
    /// <param name="connectionString">Connection string of <see cref="Database"/>.</param>
    /// <param name="cancellationToken">Stops the step.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    Task ApplyAsync(NpgsqlConnectionStringBuilder connectionString, CancellationToken cancellationToken);
}
