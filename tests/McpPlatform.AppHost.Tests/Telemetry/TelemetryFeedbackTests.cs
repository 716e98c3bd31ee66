using McpPlatform.AppHost.Tests.Knowledge;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>
/// The pipeline does not feed on itself (issue 12): the services' OTLP export calls and
/// collector-platform's forwarding to the dashboard are not traced, so an idle platform sends no
/// spans about its own telemetry; and a tool call's root span reads as the call.
/// </summary>
public sealed class TelemetryFeedbackTests(PlatformFixture platform)
{
    private static readonly TimeSpan s_idleWindow = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IdlePlatform_ExportsNoSpansOfItsOwnExportOrForwarding()
    {
        string[] running = [.. new[] { PlatformServices.Identity, PlatformServices.ToolsKnowledge, PlatformServices.Quota, PlatformServices.CollectorPlatform, PlatformServices.CollectorTenant, PlatformServices.Downstream }
            .Select(s => s.ResourceName)];
        await platform.WaitForHealthyAsync(running);
        using var dashboard = new HttpClient { BaseAddress = platform.DashboardUrl, Timeout = TimeSpan.FromSeconds(30) };
        dashboard.DefaultRequestHeaders.Add("X-API-Key", DashboardTests.DashboardApiKey(platform.DashboardUrl));
        var collector = PlatformServices.CollectorPlatform.ResourceName;
        var forwardedBefore = (await DashboardSpansAsync(dashboard, collector)).Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var since = DateTimeOffset.UtcNow;

        // The observation window: no tool traffic from this test; services keep exporting
        // metrics every second (Development cadence), and each export is an HTTP call.
        await Task.Delay(s_idleWindow, Cancel);

        // What the services sent collector-platform meanwhile: no client span to an OTLP endpoint
        // (the collector's own port, or the dashboard's), which is what an export call traced looks like.
        var received = await PlatformCollectorClient.GetAsync("v1/received", Cancel);
        var platformNames = running.ToHashSet(StringComparer.Ordinal);
        var receivedSpans = received.EnumerateArray()
            .Where(b => b.GetProperty("signal").GetString() == "traces"
                && platformNames.Contains(b.GetProperty("service").GetString()!)
                && b.GetProperty("at").GetDateTimeOffset() >= since)
            .SelectMany(b => OtlpSpans.In(b.GetProperty("json").GetString()!).Select(span => (Service: b.GetProperty("service").GetString()!, Span: span)))
            .ToList();
        var collectorPort = PlatformServices.CollectorPlatform.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        receivedSpans.Where(s => s.Span.IsClient && s.Span.Attributes.GetValueOrDefault("server.port") == collectorPort)
            .Select(s => $"{s.Service}: {s.Span.Name}").ShouldBeEmpty("export calls to collector-platform were traced");
        // Work the services start themselves (a root span that is not an incoming request: a
        // feedback loop, health checks, audit spool retries) may be traced a few times a minute.
        // Incoming requests are other tests' traffic: they share the platform and run meanwhile.
        var selfStarted = receivedSpans.Where(s => s.Span.IsRoot && !s.Span.IsServer).ToList();
        selfStarted.Count.ShouldBeLessThanOrEqualTo(10, string.Join(", ", selfStarted.Select(s => $"{s.Service}: {s.Span.Name}").Take(20)));

        // What collector-platform itself exported to the dashboard meanwhile: none of its forwarding calls.
        var forwarding = (await DashboardSpansAsync(dashboard, collector))
            .Where(s => !forwardedBefore.Contains(s.SpanId) && s.IsClient && s.Name.StartsWith("POST", StringComparison.Ordinal))
            .ToList();
        forwarding.Select(s => s.Name).ShouldBeEmpty("collector-platform's forwarding calls were traced into the dashboard");
    }

    [Fact]
    public async Task ToolCall_RootSpan_IsNamedAfterMethodAndTool()
    {
        await platform.WaitForHealthyAsync(PlatformServices.CollectorPlatform.ResourceName, PlatformServices.ToolsKnowledge.ResourceName);
        var service = PlatformServices.ToolsKnowledge.ResourceName;
        await using (var contoso = await KnowledgeClient.ContosoAsync(Cancel))
        {
            (await contoso.RawCallAsync(KnowledgeClient.ToolCallJson("whoami", "{}"), Cancel)).Status.ShouldBe(200);
        }

        // The SDK's span of the call, then the root of its trace, as tools-knowledge exported them.
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        while (true)
        {
            var received = await PlatformCollectorClient.GetAsync("v1/received", Cancel);
            var spans = received.EnumerateArray()
                .Where(b => b.GetProperty("signal").GetString() == "traces" && b.GetProperty("service").GetString() == service)
                .SelectMany(b => OtlpSpans.In(b.GetProperty("json").GetString()!))
                .ToList();
            var roots = spans.Where(s => s.IsRoot && spans.Any(c => c.TraceId == s.TraceId && c.SpanId != s.SpanId && c.Name == "tools/call whoami")).ToList();
            if (roots.Count > 0)
            {
                roots.Select(r => r.Name).Distinct().ShouldBe(["tools/call whoami"]);
                roots[0].Attributes.GetValueOrDefault("mcp.method.name").ShouldBe("tools/call");
                roots[0].Attributes.GetValueOrDefault("gen_ai.tool.name").ShouldBe("whoami");
                return;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"no trace of {service} held a tools/call whoami span under a root span");
            await Task.Delay(500, Cancel);
        }
    }

    private static async Task<List<OtlpSpans.SpanInfo>> DashboardSpansAsync(HttpClient dashboard, string resource)
    {
        using var response = await dashboard.GetAsync(new Uri($"/api/telemetry/spans?resource={resource}&limit=10000", UriKind.Relative), Cancel);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // The dashboard answers 404 for a resource it has not heard from yet.
            return [];
        }

        var body = await response.Content.ReadAsStringAsync(Cancel);
        response.IsSuccessStatusCode.ShouldBeTrue($"dashboard spans of {resource}: {(int)response.StatusCode} {body}");
        return OtlpSpans.In(body);
    }
}
