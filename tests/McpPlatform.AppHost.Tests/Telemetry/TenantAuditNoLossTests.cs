using System.Text.Json.Nodes;
using McpPlatform.AppHost.Tests.Mcp;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>At-least-once with idempotent ids: a collector outage loses and duplicates nothing.</summary>
public sealed class TenantAuditNoLossTests(PlatformFixture platform)
{
    private const int Calls = 500;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CollectorStopped_500ToolCalls_CollectorStarted_Exactly500RecordsNoDuplicates()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName, PlatformServices.CollectorTenant.ResourceName);
        var prefix = $"noloss-{Guid.NewGuid():N}-";
        await using var client = await McpClientFactory.ConnectAsync(PlatformServices.ToolsKnowledge, await PlatformTokens.ContosoAgentAsync(Cancel), Cancel);

        await CommandAsync(KnownResourceCommands.StopCommand);
        await WaitUntilDownAsync();

        // Tool calls go on while the collector is down: audit is off their path. Some are denied
        // by quota (the loop outruns contoso's rate); those are audited too, one record per call.
        for (var i = 0; i < Calls; i++)
        {
            await client.CallToolAsync(new CallToolRequestParams
            {
                Name = "whoami",
                Meta = new JsonObject { [McpConventions.InvocationIdMetaKey] = prefix + i },
            }, Cancel);
        }

        (await AuditClient.CountAsync(platform, DemoDirectory.ContosoTenantId, prefix + "%", Cancel)).Rows.ShouldBe(0, "the collector was down");

        await CommandAsync(KnownResourceCommands.StartCommand);
        await platform.WaitForHealthyAsync(PlatformServices.CollectorTenant.ResourceName);

        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        (long Rows, long Invocations) count;
        while ((count = await AuditClient.CountAsync(platform, DemoDirectory.ContosoTenantId, prefix + "%", Cancel)).Rows < Calls)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"only {count.Rows} of {Calls} records arrived after the collector came back");
            await Task.Delay(500, Cancel);
        }

        // Give a late duplicate the chance to show up before asserting there is none.
        await Task.Delay(TimeSpan.FromSeconds(2), Cancel);
        count = await AuditClient.CountAsync(platform, DemoDirectory.ContosoTenantId, prefix + "%", Cancel);
        count.Rows.ShouldBe(Calls);
        count.Invocations.ShouldBe(Calls);

        await WaitUntilAdmittedAsync(client);
    }

    private Task CommandAsync(string command) =>
        Faults.PlatformControl.CommandAsync(platform, PlatformServices.CollectorTenant.ResourceName, command);

    private static Task WaitUntilDownAsync() => Faults.PlatformControl.WaitUntilDownAsync(PlatformServices.CollectorTenant);

    /// <summary>Buckets refill within seconds; wait (bounded) so later tests start from an admitting state.</summary>
    private static async Task WaitUntilAdmittedAsync(McpClient client)
    {
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        while ((await client.CallToolAsync("whoami", cancellationToken: Cancel)).IsError == true)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "admissions did not resume");
            await Task.Delay(250, Cancel);
        }
    }
}
