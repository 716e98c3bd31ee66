namespace McpPlatform.Core;

/// <summary>
/// One service's schema (and development seed) step, applied by the db-migrator worker to that
/// service's database before the service starts. Implementations must be idempotent: the
/// migrator runs on every start. A service registers its step in the migrator's DI container.
/// </summary>
public interface IDatabaseMigration
{
    /// <summary>The database this step applies to (<see cref="InfrastructureResources.Databases"/>).</summary>
    string Database { get; }

    /// <summary>Brings the schema (and seed data, where configured) up to date.</summary>
    /// <param name="connectionString">Connection string of <see cref="Database"/>.</param>
    /// <param name="cancellationToken">Stops the step.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    Task ApplyAsync(string connectionString, CancellationToken cancellationToken);
}
