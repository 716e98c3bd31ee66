using McpPlatform.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;

namespace McpPlatform.AppHost.Tests;

public sealed class RestartPersistenceTests(PlatformFixture platform)
{
    [Fact]
    public async Task RestartPostgres_DataWrittenBefore_IsThereAfter()
    {
        using var cancellation = new CancellationTokenSource(TestSettings.StartTimeout);
        var connectionString = await platform.ConnectionStringAsync(InfrastructureResources.Postgres);
        var marker = Guid.NewGuid().ToString();
        await using (var source = NpgsqlDataSource.Create(connectionString))
        {
            await source.CreateCommand("CREATE TABLE IF NOT EXISTS restart_marker (value text)").ExecuteNonQueryAsync(cancellation.Token);
            await using var insert = source.CreateCommand("INSERT INTO restart_marker VALUES ($1)");
            insert.Parameters.Add(new NpgsqlParameter { Value = marker });
            await insert.ExecuteNonQueryAsync(cancellation.Token);
        }

        var processBefore = LocalProcesses.Using(platform.DataFolder).Single(p => p.CommandLine.Contains("/postgres -D ", StringComparison.Ordinal)).Pid;
        await RestartAsync(InfrastructureResources.Postgres, cancellation.Token);
        var processAfter = LocalProcesses.Using(platform.DataFolder).Single(p => p.CommandLine.Contains("/postgres -D ", StringComparison.Ordinal)).Pid;
        processAfter.ShouldNotBe(processBefore, "the restart must start a new server process");

        NpgsqlConnection.ClearAllPools();
        await using var after = NpgsqlDataSource.Create(connectionString);
        await using var select = after.CreateCommand("SELECT count(*) FROM restart_marker WHERE value = $1");
        select.Parameters.Add(new NpgsqlParameter { Value = marker });
        (await select.ExecuteScalarAsync(cancellation.Token)).ShouldBe(1L);
    }

    [Fact]
    public async Task RestartRedis_KeyWrittenBefore_IsThereAfter()
    {
        using var cancellation = new CancellationTokenSource(TestSettings.StartTimeout);
        var connectionString = await platform.ConnectionStringAsync(InfrastructureResources.Redis);
        var key = $"restart-marker:{Guid.NewGuid():N}";
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(connectionString))
        {
            await redis.GetDatabase().StringSetAsync(key, "kept");
        }

        await RestartAsync(InfrastructureResources.Redis, cancellation.Token);

        await using var again = await ConnectionMultiplexer.ConnectAsync(connectionString);
        (await again.GetDatabase().StringGetAsync(key)).ToString().ShouldBe("kept");
    }

    private async Task RestartAsync(string resourceName, CancellationToken cancellationToken)
    {
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        var resource = platform.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resourceName);
        var result = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.RestartCommand, cancellationToken);
        result.Success.ShouldBeTrue(result.Message);
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(resourceName, cancellationToken);
    }
}
