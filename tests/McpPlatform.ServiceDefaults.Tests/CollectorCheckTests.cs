using System.Diagnostics.Metrics;
using McpPlatform.CollectorPlatform.Extensions;
using McpPlatform.CollectorPlatform.Ingest;
using McpPlatform.CollectorPlatform.Otlp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace McpPlatform.ServiceDefaults.Tests;

/// <summary>collector-platform's defence in depth on records that got past (or never had) the at-source rules.</summary>
public sealed class CollectorCheckTests
{
    private const string TenantId = "6f1c2a8e-3b7d-4c55-9a0e-1d2f3c4b5a61";
    private const string Service = "rogue-service";

    private readonly TenantFreeChecker _checker = new(
        Options.Create(new CollectorPlatformOptions { KnownTenantValues = [TenantId, "contoso", "abc"] }), TimeProvider.System);

    [Fact]
    public void Check_TraceWithTenantAttributeAndName_RemovesRedactsAndReportsService()
    {
        var span = new Span { Name = $"search for {TenantId}", Status = new Status { Message = "failed for Contoso" } };
        span.Attributes.Add(Attribute("tenant_id", TenantId));
        span.Attributes.Add(Attribute("http.route", "/tenants/contoso"));
        span.Attributes.Add(new KeyValue { Key = "documents", Value = new AnyValue { IntValue = 3 } });
        var request = Traces(span);

        var findings = _checker.Check(request);

        var text = request.ToString();
        text.ShouldNotContain(TenantId);
        text.ShouldNotContain("contoso", Case.Insensitive);
        span.Name.ShouldBe($"search for {TenantFreeChecker.Redacted}");
        span.Attributes.Select(a => a.Key).ShouldBe(["http.route", "documents"], ignoreOrder: true);
        findings.ShouldAllBe(f => f.Service == Service && f.Signal == "traces");
        findings.Select(f => f.Kind).ShouldBe(
            [FindingKinds.AttributeNotAllowed, FindingKinds.KnownTenantValue, FindingKinds.KnownTenantValue, FindingKinds.StatusMessage],
            ignoreOrder: true);
        // Findings never copy the value they found.
        findings.ShouldAllBe(f => !f.Location.Contains(TenantId, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_MetricWithTenantDimension_DropsThePoint()
    {
        var kept = new NumberDataPoint { AsInt = 1 };
        kept.Attributes.Add(Attribute("gen_ai.tool.name", "search"));
        var leaked = new NumberDataPoint { AsInt = 1 };
        leaked.Attributes.Add(Attribute("tenant", "fabrikam"));
        var metric = new Metric { Name = "calls", Sum = new Sum() };
        metric.Sum.DataPoints.Add(kept);
        metric.Sum.DataPoints.Add(leaked);
        var request = new ExportMetricsServiceRequest();
        request.ResourceMetrics.Add(new ResourceMetrics { Resource = Resource(), ScopeMetrics = { new ScopeMetrics { Metrics = { metric } } } });

        var (findings, dropped) = _checker.Check(request);

        dropped.ShouldBe(1);
        metric.Sum.DataPoints.ShouldHaveSingleItem().ShouldBe(kept);
        findings.ShouldHaveSingleItem().Kind.ShouldBe(FindingKinds.MetricDimension);
    }

    [Fact]
    public void Check_LogBodyWithKnownValue_IsRedactedAndShortValuesAreIgnored()
    {
        var log = new LogRecord { Body = new AnyValue { StringValue = $"Exported {TenantId} (abc)" } };
        var request = new ExportLogsServiceRequest();
        request.ResourceLogs.Add(new ResourceLogs { Resource = Resource(), ScopeLogs = { new ScopeLogs { LogRecords = { log } } } });

        var findings = _checker.Check(request);

        // "abc" is shorter than the minimum and would match everywhere, so it is not checked.
        log.Body.StringValue.ShouldBe($"Exported {TenantFreeChecker.Redacted} (abc)");
        findings.ShouldHaveSingleItem().Kind.ShouldBe(FindingKinds.KnownTenantValue);
    }

    [Fact]
    public void Check_ResourceAttributeOutsideAllowList_IsRemoved()
    {
        var request = Traces(new Span { Name = "GET" });
        request.ResourceSpans[0].Resource.Attributes.Add(Attribute("tenant.name", "Contoso Ltd"));

        var findings = _checker.Check(request);

        request.ResourceSpans[0].Resource.Attributes.Select(a => a.Key).ShouldBe(["service.name"]);
        findings.ShouldHaveSingleItem().Kind.ShouldBe(FindingKinds.ResourceAttributeNotAllowed);
    }

    [Fact]
    public void ToolCallStats_CountsCallsAndErrorsPerServiceAndTool()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var stats = new ToolCallStats(services.GetRequiredService<IMeterFactory>());
        var ok = ToolSpan("search", 2_000_000, error: false);
        var failed = ToolSpan("search", 40_000_000, error: true);
        var other = new Span { Name = "GET", Kind = Span.Types.SpanKind.Server };

        stats.Add(Traces(ok, failed, other));

        var summary = stats.Summaries().ShouldHaveSingleItem();
        summary.ShouldBe(summary with { Service = Service, Tool = "search", Calls = 2, Errors = 1 });
        summary.P50Ms.ShouldBe(2);
        summary.P99Ms.ShouldBe(50);
    }

    private static Span ToolSpan(string tool, ulong nanoseconds, bool error)
    {
        var span = new Span { Name = $"tools/call {tool}", Kind = Span.Types.SpanKind.Server, StartTimeUnixNano = 1_000, EndTimeUnixNano = 1_000 + nanoseconds };
        span.Attributes.Add(Attribute("mcp.method.name", "tools/call"));
        span.Attributes.Add(Attribute("gen_ai.tool.name", tool));
        if (error)
        {
            span.Status = new Status { Code = Status.Types.StatusCode.Error };
        }

        return span;
    }

    private static ExportTraceServiceRequest Traces(params Span[] spans)
    {
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(new ResourceSpans { Resource = Resource(), ScopeSpans = { new ScopeSpans { Spans = { spans } } } });
        return request;
    }

    private static Resource Resource() => new() { Attributes = { Attribute("service.name", Service) } };

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
}
