using System.Text.Json.Nodes;
using McpPlatform.AppHost.Tests.Mcp;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using StackExchange.Redis;

namespace McpPlatform.AppHost.Tests.Faults;

/// <summary>
/// Faults injected into the shared platform under load (docs/reliability.md has the measured
/// table from the benchmarks' <c>faults</c> scenario). Each test brings what it broke back and
/// waits, bounded, until it is healthy, so the tests after it find the platform as before. Times
/// are measured in the benchmark, not asserted here.
/// </summary>
public sealed class FaultTests(PlatformFixture platform)
{
    private static readonly TimeSpan s_drain = TimeSpan.FromSeconds(90);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task McpServerKilledUnderLoad_EveryAnsweredCallHasItsRecordAfterTheRestart()
    {
        var server = PlatformServices.ToolsKnowledge;
        await platform.WaitForHealthyAsync(server.ResourceName, PlatformServices.CollectorTenant.ResourceName);
        var token = await PlatformTokens.ContosoAgentAsync(Cancel);

        await using var load = FaultLoad.Start(server, token);
        await Task.Delay(TimeSpan.FromSeconds(3), Cancel);
        PlatformControl.KillService(server);
        await Task.Delay(TimeSpan.FromMilliseconds(500), Cancel);
        await load.StopAsync();
        load.Answered.Count.ShouldBeGreaterThan(0, load.Describe());

        await PlatformControl.StartAgainAsync(platform, server.ResourceName);

        // Audit:Durability=Acknowledged: a call was answered only after its record was fsynced in
        // the spool, which the restarted server ships. Nothing answered is missing.
        await PlatformControl.EveryAnsweredCallRecordedAsync(platform, load, s_drain, Cancel);
        load.Outcomes.Keys.ShouldNotContain("http-500", load.Describe());
        await WaitUntilAdmittedAsync(token);
    }

    [Fact]
    public async Task RedisKilledUnderLoad_AdmissionFailsClosed_RecoversByItself_NoLeaseLeft()
    {
        var server = PlatformServices.ToolsKnowledge;
        await platform.WaitForHealthyAsync(server.ResourceName, InfrastructureResources.Redis);
        var token = await PlatformTokens.ContosoAgentAsync(Cancel);
        var partition = PlatformTokens.Payload(token).GetProperty(PlatformClaims.QuotaPartition).GetString()!;
        var redisPort = new Uri("redis://" + (await platform.ConnectionStringAsync(InfrastructureResources.Redis)).Split(',')[0]).Port;

        await using var load = FaultLoad.Start(server, token);
        await Task.Delay(TimeSpan.FromSeconds(2), Cancel);
        var redis = LocalProcesses.All().Single(p => p.CommandLine.Contains("redis-server", StringComparison.Ordinal)
            && p.CommandLine.Contains($":{redisPort}", StringComparison.Ordinal));
        PlatformControl.Kill(redis.Pid);
        await WaitUntilAsync(() => load.Count(ReasonCodes.Unavailable) > 0, "a quota.unavailable denial while Redis is down", load);

        await PlatformControl.StartAgainAsync(platform, InfrastructureResources.Redis);
        var okBefore = load.Count("ok");
        await WaitUntilAsync(() => load.Count("ok") > okBefore + 10, "successful calls again after Redis came back", load);
        await load.StopAsync();

        // Fail closed with a reason code, never a 5xx or a hang: every call was answered.
        load.Outcomes.Keys.ShouldAllBe(outcome => outcome == "ok" || outcome.StartsWith("quota.", StringComparison.Ordinal), load.Describe());
        await PlatformControl.EveryAnsweredCallRecordedAsync(platform, load, s_drain, Cancel);

        // Leases of calls in flight when Redis died (if Redis kept them) expire by themselves
        // (LeaseTtlSeconds 120): the tenant's concurrency count returns to zero, nothing leaks.
        await using var connection = await ConnectionMultiplexer.ConnectAsync(await platform.ConnectionStringAsync(InfrastructureResources.Redis));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(150);
        long held;
        while ((held = await connection.GetDatabase().SortedSetLengthAsync(
            $"q:{{{partition}}}:c", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), double.PositiveInfinity, Exclude.Start)) > 0)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"{held} leases still held for the tenant");
            await Task.Delay(1000, Cancel);
        }

        await WaitUntilAdmittedAsync(token);
    }

    [Fact]
    public async Task IdentityStopped_TokensInHandKeepWorking_ExchangeIsIdentityUnavailable_ThenRecovers()
    {
        var server = PlatformServices.ToolsKnowledge;
        await platform.WaitForHealthyAsync(server.ResourceName, PlatformServices.Identity.ResourceName, PlatformServices.Downstream.ResourceName);
        var token = await PlatformTokens.ContosoAgentAsync(Cancel);
        await using var client = await McpClientFactory.ConnectAsync(server, token, Cancel);
        var echo = new CallToolRequestParams { Name = "downstream_echo", Arguments = new Dictionary<string, System.Text.Json.JsonElement> { ["message"] = System.Text.Json.JsonSerializer.SerializeToElement("fault") } };
        (await EventuallyAsync(client, echo, result => result.IsError != true)).IsError.ShouldNotBe(true);

        await PlatformControl.CommandAsync(platform, PlatformServices.Identity.ResourceName, KnownResourceCommands.StopCommand);
        try
        {
            await PlatformControl.WaitUntilDownAsync(PlatformServices.Identity);

            // The MCP server validates tokens with keys it already has: no identity needed.
            (await EventuallyAsync(client, new CallToolRequestParams { Name = "whoami" }, result => result.IsError != true)).IsError.ShouldNotBe(true);
            // A downstream call needs an exchange: a tool error with its own code, not a 500.
            var refused = await client.CallToolAsync(echo, Cancel);
            refused.IsError.ShouldBe(true);
            var error = refused.StructuredContent!.Value.GetProperty("error");
            error.GetProperty("code").GetString().ShouldBe(ToolErrorCodes.IdentityUnavailable);
            error.GetProperty("retryAfterSeconds").GetInt32().ShouldBe(5);
        }
        finally
        {
            await PlatformControl.CommandAsync(platform, PlatformServices.Identity.ResourceName, KnownResourceCommands.StartCommand);
            await platform.WaitForHealthyAsync(PlatformServices.Identity.ResourceName);
        }

        (await EventuallyAsync(client, echo, result => result.IsError != true)).IsError.ShouldNotBe(true);
    }

    // Contoso's rate limit may deny a call now and then; what matters is that the call goes through.
    private static async Task<CallToolResult> EventuallyAsync(McpClient client, CallToolRequestParams call, Func<CallToolResult, bool> done)
    {
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        while (true)
        {
            var result = await client.CallToolAsync(new CallToolRequestParams
            {
                Name = call.Name,
                Arguments = call.Arguments,
                Meta = new JsonObject { [McpConventions.InvocationIdMetaKey] = $"fault-{Guid.NewGuid():N}" },
            }, Cancel);
            if (done(result) || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(250, Cancel);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what, FaultLoad load)
    {
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"waited for {what}; callers saw {load.Describe()}");
            await Task.Delay(100, Cancel);
        }
    }

    /// <summary>Buckets refill within seconds; wait (bounded) so later tests start from an admitting state.</summary>
    private static async Task WaitUntilAdmittedAsync(string token)
    {
        await using var client = await McpClientFactory.ConnectAsync(PlatformServices.ToolsKnowledge, token, Cancel);
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        while ((await client.CallToolAsync("whoami", cancellationToken: Cancel)).IsError == true)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "admissions did not resume");
            await Task.Delay(250, Cancel);
        }
    }
}
