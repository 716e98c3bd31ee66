using System.Text;
using System.Text.Json.Nodes;
using McpPlatform.AppHost.Tests.Knowledge;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>
/// The canary test of the platform pipeline: tool calls as contoso carrying canary values in every
/// place a caller controls (arguments, document text, title, query, invocation id, a failing
/// argument) plus the tenant's and principal's own identifiers; everything the services exported
/// to collector-platform, as received (before its own checks), must contain none of them.
/// </summary>
public sealed class PlatformCanaryTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ToolCallsAsContoso_WithCanaries_ExportNoTenantDataToThePlatformPipeline()
    {
        await platform.WaitForHealthyAsync(PlatformServices.CollectorPlatform.ResourceName, PlatformServices.ToolsKnowledge.ResourceName);
        var canary = $"canary{Guid.NewGuid():N}";
        var canaries = ContosoCanaries.With(canary);
        var service = PlatformServices.ToolsKnowledge.ResourceName;
        var searchesBefore = await PlatformCollectorClient.ToolCallsAsync(service, "search_knowledge", Cancel);
        var echoesBefore = await PlatformCollectorClient.ToolCallsAsync(service, "downstream_echo", Cancel);

        await using (var contoso = await KnowledgeClient.ContosoAsync(Cancel))
        {
            await contoso.SucceedAsync("ingest_document", new()
            {
                ["title"] = $"{canary} title for {DemoDirectory.ContosoUserName}",
                ["text"] = $"Quarterly plan {canary} of {DemoDirectory.ContosoSlug}, owner {DemoDirectory.ContosoUserId}.",
                ["documentId"] = $"{canary}-doc",
            }, Cancel);
            await contoso.SucceedAsync("search_knowledge", new() { ["query"] = $"plan {canary}" }, Cancel);
            // Fails inside the tool (bad URL quoting the canary) and in argument binding (text for an int).
            await contoso.CallAsync("ingest_document", new() { ["title"] = canary, ["text"] = canary, ["sourceUrl"] = $"notaurl {canary}" }, Cancel);
            await contoso.RawCallAsync(KnowledgeClient.ToolCallJson("search_knowledge", $$"""{"query":"{{canary}}","topK":"{{canary}}"}"""), Cancel);
            // Downstream call with a client-chosen invocation id: reaches downstream's log, classified there.
            var echo = KnowledgeClient.ToolCallJson("downstream_echo", new JsonObject { ["message"] = canary }.ToJsonString(), $"{canary}-invocation");
            (await contoso.RawCallAsync(echo, Cancel)).Status.ShouldBe(200);
            // A tool and a method that do not exist, named by the caller: the SDK records such
            // names in its spans and metrics; only registered names may leave the service.
            await contoso.RawCallAsync(KnowledgeClient.ToolCallJson($"{canary}-tool", "{}"), Cancel);
            await contoso.RawCallAsync(Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","id":9,"method":"{{{canary}}}/method","params":{}}"""), Cancel);
        }

        // Wait (bounded) until the calls' spans have reached the collector, then a little longer
        // for the logs and metrics exported on the same schedule.
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        while (await PlatformCollectorClient.ToolCallsAsync(service, "search_knowledge", Cancel) < searchesBefore + 2
            || await PlatformCollectorClient.ToolCallsAsync(service, "downstream_echo", Cancel) < echoesBefore + 1)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "tools-knowledge's tool-call spans never reached collector-platform");
            await Task.Delay(500, Cancel);
        }

        await Task.Delay(TimeSpan.FromSeconds(3), Cancel);
        var received = await PlatformCollectorClient.GetAsync("v1/received", Cancel);
        var batches = received.EnumerateArray().Select(b => (
            Service: b.GetProperty("service").GetString()!,
            Signal: b.GetProperty("signal").GetString()!,
            Json: b.GetProperty("json").GetString()!)).ToList();

        // The capture covers what matters: tools-knowledge's traces and logs, downstream's traces.
        batches.ShouldContain(b => b.Service == service && b.Signal == "traces");
        batches.ShouldContain(b => b.Service == service && b.Signal == "logs");
        batches.ShouldContain(b => b.Service == service && b.Signal == "metrics");
        batches.ShouldContain(b => b.Service == PlatformServices.Downstream.ResourceName && b.Signal == "traces");
        batches.ShouldContain(b => b.Json.Contains("search_knowledge", StringComparison.Ordinal));

        // Only what the platform's own processes emitted: PlatformCollectorTests sends a
        // deliberately dirty batch as a made-up "rogue-…" service, which the buffer keeps as received.
        var platformNames = PlatformServices.All.Select(s => s.ResourceName).Append(InfrastructureResources.DbMigrator).ToHashSet(StringComparer.Ordinal);
        var leaks = (from batch in batches
                     where platformNames.Contains(batch.Service)
                     from value in canaries
                     where batch.Json.Contains(value, StringComparison.OrdinalIgnoreCase)
                     select $"{batch.Service}/{batch.Signal}: '{value}' near …{ContosoCanaries.Around(batch.Json, value)}…").ToList();
        leaks.ShouldBeEmpty();
    }
}
