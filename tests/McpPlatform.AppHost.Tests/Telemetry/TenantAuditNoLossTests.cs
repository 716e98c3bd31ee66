using System.Text.Json.Nodes;
using McpPlatform.AppHost.Tests.Mcp;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;
using Microsoft.Extensions.DependencyInjection;
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

    private async Task CommandAsync(string command)
    {
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(PlatformServices.CollectorTenant.ResourceName, command, cancellation.Token);
        result.Success.ShouldBeTrue(result.Message);
    }

    private static async Task WaitUntilDownAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(PlatformServices.CollectorTenant.LocalUrl, HealthEndpoints.Alive), Cancel);
            }
            catch (HttpRequestException)
            {
                return;
            }
            catch (TaskCanceledException) when (!Cancel.IsCancellationRequested)
            {
                return;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, "collector-tenant still answers after the stop command");
            await Task.Delay(200, Cancel);
        }
    }

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
