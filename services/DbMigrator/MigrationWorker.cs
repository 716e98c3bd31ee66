using System.Diagnostics;
using System.Text.RegularExpressions;
using McpPlatform.Core;
using Npgsql;

namespace McpPlatform.DbMigrator;

/// <summary>Creates missing databases, applies migrations, then stops the host (exit code 0, or 1 on failure).</summary>
internal sealed partial class MigrationWorker(
    NpgsqlDataSource maintenance,
    IConfiguration configuration,
    IEnumerable<IDatabaseMigration> migrations,
    IHostApplicationLifetime lifetime,
    ILogger<MigrationWorker> logger) : BackgroundService
{
    public const string ActivitySourceName = "McpPlatform.DbMigrator";
    private static readonly ActivitySource s_activitySource = new(ActivitySourceName);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = s_activitySource.StartActivity("Migrate databases");
        try
        {
            foreach (var database in InfrastructureResources.Databases)
            {
                await EnsureDatabaseAsync(database, stoppingToken);
            }

            foreach (var migration in migrations)
            {
                // From configuration, not the data source: a data source's ConnectionString drops the password.
                var target = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(InfrastructureResources.Postgres))
                {
                    Database = migration.Database,
                };
                await migration.ApplyAsync(target.ConnectionString, stoppingToken);
                logger.LogInformation("Applied {Migration} to {Database}.", migration.GetType().Name, migration.Database);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            activity?.AddException(exception);
            logger.LogError(exception, "Database migration failed; services that wait for it will not start.");
            Environment.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken)
    {
        // CREATE DATABASE takes no parameters; the names are our own constants, checked anyway.
        if (!DatabaseName().IsMatch(database))
        {
            throw new InvalidOperationException($"'{database}' is not a valid database name.");
        }

        await using var exists = maintenance.CreateCommand("SELECT 1 FROM pg_database WHERE datname = $1");
        exists.Parameters.Add(new NpgsqlParameter { Value = database });
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        try
        {
            await using var create = maintenance.CreateCommand($"CREATE DATABASE \"{database}\" ENCODING 'UTF8'");
            await create.ExecuteNonQueryAsync(cancellationToken);
            logger.LogInformation("Created database {Database}.", database);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another migrator (a scaled-out start) created it between our check and create.
        }
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,62}\z")]
    private static partial Regex DatabaseName();
}
