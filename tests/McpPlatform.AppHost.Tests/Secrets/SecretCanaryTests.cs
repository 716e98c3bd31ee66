using System.Net;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.AppHost.Tests.Telemetry;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Secrets;

/// <summary>
/// A canary value written, rotated, read and refused appears only in the read answer: not in
/// anything the platform's services export to collector-platform (spans, logs, metrics as
/// received), not in the audit spool files or the tenant trail, not in any process's environment.
/// </summary>
public sealed class SecretCanaryTests(PlatformFixture platform)
{
    private static readonly string[] s_servers = [DemoDirectory.ToolsWorkspaceClientId];
    private static readonly string[] s_tools = [SecretsClient.AllowedTool];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CanaryValue_WrittenRotatedReadAndRefused_AppearsNowhereButTheReadAnswer()
    {
        await platform.WaitForHealthyAsync(PlatformServices.Secrets.ResourceName, PlatformServices.CollectorPlatform.ResourceName,
            PlatformServices.CollectorTenant.ResourceName);
        var alice = await SecretsClient.AliceAsync(Cancel);
        var name = SecretsClient.NewName("canary");
        var first = SecretsClient.NewCanary();
        var second = SecretsClient.NewCanary();
        var secretsBatchesBefore = await SecretsBatchesAsync();

        await SecretsClient.CreateAsync(alice, name, first, Cancel);
        (await SecretsClient.CallAsync(HttpMethod.Post, $"/v1/secrets/{name}/rotate", alice, new { value = second }, Cancel)).Status.ShouldBe(HttpStatusCode.OK);
        // Refused writes that carry the value: a taken name, a value with NUL, a bad name.
        (await SecretsClient.CallAsync(HttpMethod.Post, "/v1/secrets", alice,
            new { name, value = second, allowedServers = s_servers, allowedTools = s_tools }, Cancel))
            .Status.ShouldBe(HttpStatusCode.Conflict);
        (await SecretsClient.CallAsync(HttpMethod.Post, $"/v1/secrets/{name}/rotate", alice, new { value = second + "\0" }, Cancel))
            .Status.ShouldBe(HttpStatusCode.BadRequest);
        (await SecretsClient.CallAsync(HttpMethod.Post, "/v1/secrets", alice,
            new { name = "Bad Name", value = second, allowedServers = s_servers, allowedTools = s_tools }, Cancel))
            .Status.ShouldBe(HttpStatusCode.BadRequest);

        var invocationId = $"secret-canary-{Guid.NewGuid():N}";
        var exchanged = await SecretsClient.ExchangeAsWorkspaceAsync(await SecretsClient.AgentAtWorkspaceAsync(
            DemoDirectory.ContosoAgentClientId, DemoDirectory.Parameters.ContosoAgentSecret, Cancel), invocationId, Cancel);
        var (status, read) = await SecretsClient.ReadAsync(exchanged, name, SecretsClient.AllowedTool, Cancel);
        status.ShouldBe(HttpStatusCode.OK);
        read.GetProperty("value").GetString().ShouldBe(second);
        (await SecretsClient.ReadAsync(exchanged, name, "not_allowed", Cancel)).Status.ShouldBe(HttpStatusCode.Forbidden);

        // The trail has both reads, and neither value.
        var records = await AuditClient.WaitForRecordsAsync(await AuditClient.AliceAsync(Cancel), $"invocation={invocationId}", 2, Cancel);
        var canaries = new[] { first, second };
        foreach (var record in records)
        {
            NoCanary(record.GetRawText(), canaries, "audit record");
        }

        // Wait (bounded) for secrets' telemetry of these requests to reach collector-platform, then
        // a little longer for logs and metrics on the same schedule.
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        while (await SecretsBatchesAsync() <= secretsBatchesBefore)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "secrets' telemetry never reached collector-platform");
            await Task.Delay(500, Cancel);
        }

        await Task.Delay(TimeSpan.FromSeconds(3), Cancel);
        // The canary's unique part: also catches a value truncated or re-encoded after it.
        string[] parts = [.. canaries.Select(canary => canary[..46])];
        List<string> found =
        [
            .. await CanarySearch.InReceivedTelemetryAsync(parts, Cancel),
            .. await CanarySearch.InSpoolFilesAsync(platform.DataFolder, parts, Cancel),
            .. CanarySearch.InProcessEnvironments(parts),
        ];
        found.ShouldBeEmpty("the secret value appears outside the read answer");
    }

    private static async Task<int> SecretsBatchesAsync() =>
        (await PlatformCollectorClient.GetAsync("v1/received", Cancel)).EnumerateArray()
            .Count(b => b.GetProperty("service").GetString() == PlatformServices.Secrets.ResourceName);

    private static void NoCanary(string text, string[] canaries, string where) =>
        CanarySearch.Found(text, [.. canaries.Select(canary => canary[..46])], where).ShouldBeEmpty();
}
