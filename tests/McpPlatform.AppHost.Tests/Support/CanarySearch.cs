using System.Text;
using McpPlatform.AppHost.Tests.Telemetry;
using McpPlatform.Core;
using Npgsql;
using StackExchange.Redis;

namespace McpPlatform.AppHost.Tests.Support;

/// <summary>
/// Looks for canary values everywhere a platform could keep or leak them: what the services
/// exported to collector-platform (as received, before its checks), the audit spool files, every
/// process's environment, every Redis key and value, and every row of every platform database.
/// Each search returns the places a canary was found (empty when none).
/// </summary>
internal static class CanarySearch
{
    /// <summary>Telemetry batches of platform services, as collector-platform received them.</summary>
    public static async Task<List<string>> InReceivedTelemetryAsync(IReadOnlyCollection<string> canaries, CancellationToken cancellationToken)
    {
        var received = await PlatformCollectorClient.GetAsync("v1/received", cancellationToken);
        var platformNames = PlatformServices.All.Select(s => s.ResourceName).Append(InfrastructureResources.DbMigrator).ToHashSet(StringComparer.Ordinal);
        return [.. received.EnumerateArray()
            .Where(batch => platformNames.Contains(batch.GetProperty("service").GetString()!))
            .SelectMany(batch => Found(batch.GetProperty("json").GetString()!, canaries,
                $"{batch.GetProperty("service").GetString()}/{batch.GetProperty("signal").GetString()} telemetry"))];
    }

    /// <summary>The audit spool files under the fixture's data folder (waiting, delivered, dead letters).</summary>
    public static async Task<List<string>> InSpoolFilesAsync(string dataFolder, IReadOnlyCollection<string> canaries, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        var spool = Path.Combine(dataFolder, "audit-spool");
        if (!Directory.Exists(spool))
        {
            return found;
        }

        foreach (var file in Directory.EnumerateFiles(spool, "*", SearchOption.AllDirectories))
        {
            try
            {
                found.AddRange(Found(Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file, cancellationToken)), canaries, file));
            }
            catch (IOException)
            {
                // Shipped and deleted while listed.
            }
        }

        return found;
    }

    /// <summary>The environment of every process on the machine.</summary>
    public static List<string> InProcessEnvironments(IReadOnlyCollection<string> canaries) =>
        [.. LocalProcesses.All().SelectMany(p => Found(string.Join('\n', LocalProcesses.EnvironmentOf(p.Pid)), canaries,
            $"environment of process {p.Pid} ({p.CommandLine[..Math.Min(80, p.CommandLine.Length)]})"))];

    /// <summary>Every key and every string, hash, list, set and sorted-set value in Redis.</summary>
    public static async Task<List<string>> InRedisAsync(string connectionString, IReadOnlyCollection<string> canaries)
    {
        var found = new List<string>();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString + ",allowAdmin=true");
        var database = redis.GetDatabase();
        foreach (var server in redis.GetServers())
        {
            await foreach (var key in server.KeysAsync(pageSize: 1000))
            {
                found.AddRange(Found(key.ToString(), canaries, $"Redis key {key}"));
                var type = await database.KeyTypeAsync(key);
                string?[] values = type switch
                {
                    RedisType.String => [await database.StringGetAsync(key)],
                    RedisType.Hash => (await database.HashGetAllAsync(key)).SelectMany(e => new string?[] { e.Name, e.Value }).ToArray(),
                    RedisType.List => (await database.ListRangeAsync(key)).Select(v => (string?)v).ToArray(),
                    RedisType.Set => (await database.SetMembersAsync(key)).Select(v => (string?)v).ToArray(),
                    RedisType.SortedSet => (await database.SortedSetRangeByRankAsync(key)).Select(v => (string?)v).ToArray(),
                    _ => [],
                };
                found.AddRange(values.Where(v => v is not null).SelectMany(v => Found(v!, canaries, $"Redis value of {key}")));
            }
        }

        return found;
    }

    /// <summary>Every row of every table in every platform database, as text, read as the server's admin.</summary>
    public static async Task<List<string>> InDatabasesAsync(PlatformFixture platform, IReadOnlyCollection<string> canaries, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (var database in InfrastructureResources.Databases)
        {
            var builder = new NpgsqlConnectionStringBuilder(await platform.ConnectionStringAsync(database)) { Pooling = false };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            var tables = new List<string>();
            await using (var list = new NpgsqlCommand(
                "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables " +
                "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')", connection))
            await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    tables.Add(reader.GetString(0));
                }
            }

            foreach (var table in tables)
            {
                // The admin is a superuser: row-level security does not hide rows from it.
                await using var rows = new NpgsqlCommand($"SELECT t::text FROM {table} t", connection);
                await using var reader = await rows.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    found.AddRange(Found(reader.GetString(0), canaries, $"{database} {table}"));
                }
            }
        }

        return found;
    }

    /// <summary>Where in <paramref name="text"/> a canary appears, as "canary in where".</summary>
    public static IEnumerable<string> Found(string text, IReadOnlyCollection<string> canaries, string where) =>
        canaries.Where(canary => text.Contains(canary, StringComparison.Ordinal)).Select(canary => $"'{canary}' in {where}");
}
