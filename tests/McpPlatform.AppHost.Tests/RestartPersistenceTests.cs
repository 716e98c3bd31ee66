using System.Net;
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

        // Tokens first: identity's own pool dies with the server too (it is not under test here).
        var secretsToken = await Secrets.SecretsClient.AliceAsync(cancellation.Token);
        var workspaceToken = await Workspace.WorkspaceClient.AliceAsync(cancellation.Token);
        var auditToken = await Telemetry.AuditClient.AliceAsync(cancellation.Token);
        (string Service, Func<Task<HttpStatusCode>> Request)[] tenantDataRequests =
        [
            (PlatformServices.Secrets.ResourceName, async () =>
                (await Secrets.SecretsClient.CallAsync(HttpMethod.Get, "/v1/secrets", secretsToken, null, cancellation.Token)).Status),
            (PlatformServices.ToolsWorkspace.ResourceName, async () =>
                (await Workspace.WorkspaceClient.SendAsync(HttpMethod.Get, "/v1/connections", workspaceToken, null, cancellation.Token)).Status),
            (PlatformServices.CollectorTenant.ResourceName, async () =>
                (await Telemetry.AuditClient.SendAsync(HttpMethod.Get, "v1/records?limit=1", auditToken, null, cancellation.Token)).Status),
        ];
        await platform.WaitForHealthyAsync(PlatformServices.Secrets.ResourceName, PlatformServices.ToolsWorkspace.ResourceName, PlatformServices.CollectorTenant.ResourceName);
        foreach (var (service, request) in tenantDataRequests)
        {
            (await request()).ShouldBe(HttpStatusCode.OK, service);
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

        // The services that keep tenant data in PostgreSQL recover by themselves: their pooled
        // connections died with the server, and at most one request each may see that, as a 503
        // with a code (never a 500) that also clears the pool; the next one succeeds.
        foreach (var (service, request) in tenantDataRequests)
        {
            var statuses = new List<HttpStatusCode>();
            while (statuses.Count < 3 && (statuses.Count == 0 || statuses[^1] != HttpStatusCode.OK))
            {
                statuses.Add(await request());
            }

            statuses.ShouldNotContain(HttpStatusCode.InternalServerError, service);
            statuses.Count(s => s != HttpStatusCode.OK).ShouldBeLessThanOrEqualTo(1, $"{service}: {string.Join(", ", statuses)}");
            statuses[^1].ShouldBe(HttpStatusCode.OK, $"{service}: {string.Join(", ", statuses)}");
        }
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
