using McpPlatform.CollectorPlatform.Extensions;
using McpPlatform.CollectorPlatform.Ingest;
using McpPlatform.CollectorPlatform.Otlp;
using Microsoft.Extensions.Options;

namespace McpPlatform.CollectorPlatform.Tests;

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
    public void ToolCallStats_FromTheServicesCounters_CountsCallsErrorsAndDenialsPerServiceAndTool()
    {
        var stats = new ToolCallStats();

        stats.Add(ToolMetrics(start: 1, ("search", "ok", 5), ("search", "error", 2), ("search", "denied", 1)));
        stats.Add(ToolMetrics(start: 1, ("search", "ok", 7), ("search", "error", 2), ("search", "denied", 1)));

        var summary = stats.Summaries().ShouldHaveSingleItem();
        // Cumulative: the later export replaces the earlier one, it is not added to it.
        summary.ShouldBe(summary with { Service = Service, Tool = "search", Calls = 10, Errors = 2, Denied = 1 });
    }

    [Fact]
    public void ToolCallStats_AfterARestart_AddsTheNewSeries_AndAddsDeltas()
    {
        var stats = new ToolCallStats();

        stats.Add(ToolMetrics(start: 1, ("search", "ok", 7)));
        stats.Add(ToolMetrics(start: 2, ("search", "ok", 3)));
        var delta = ToolMetrics(start: 3, ("search", "ok", 4));
        delta.ResourceMetrics[0].ScopeMetrics[0].Metrics[0].Sum.AggregationTemporality = AggregationTemporality.Delta;
        stats.Add(delta);
        stats.Add(delta);

        stats.Summaries().ShouldHaveSingleItem().Calls.ShouldBe(7 + 3 + 4 + 4);
    }

    [Fact]
    public void ToolCallStats_Percentiles_ComeFromTheDurationHistogram()
    {
        var stats = new ToolCallStats();
        var histogram = new Histogram { AggregationTemporality = AggregationTemporality.Cumulative };
        // 98 calls up to 2 ms, 2 calls up to 50 ms.
        var point = new HistogramDataPoint { StartTimeUnixNano = 1, Count = 100, ExplicitBounds = { 1, 2, 5, 50 }, BucketCounts = { 10, 88, 0, 2, 0 } };
        point.Attributes.Add(Attribute("gen_ai.tool.name", "search"));
        histogram.DataPoints.Add(point);
        var request = ToolMetrics(start: 1, ("search", "ok", 100));
        request.ResourceMetrics[0].ScopeMetrics[0].Metrics.Add(new Metric { Name = ToolCallStats.DurationMetric, Histogram = histogram });

        stats.Add(request);

        var summary = stats.Summaries().ShouldHaveSingleItem();
        summary.P50Ms.ShouldBe(2);
        summary.P95Ms.ShouldBe(2);
        summary.P99Ms.ShouldBe(50);
    }

    private static ExportMetricsServiceRequest ToolMetrics(ulong start, params (string Tool, string Outcome, long Calls)[] points)
    {
        var sum = new Sum { AggregationTemporality = AggregationTemporality.Cumulative, IsMonotonic = true };
        foreach (var (tool, outcome, calls) in points)
        {
            var point = new NumberDataPoint { StartTimeUnixNano = start, AsInt = calls };
            point.Attributes.Add(Attribute("gen_ai.tool.name", tool));
            point.Attributes.Add(Attribute("outcome", outcome));
            sum.DataPoints.Add(point);
        }

        var request = new ExportMetricsServiceRequest();
        request.ResourceMetrics.Add(new ResourceMetrics
        {
            Resource = Resource(),
            ScopeMetrics = { new ScopeMetrics { Metrics = { new Metric { Name = ToolCallStats.CallsMetric, Sum = sum } } } },
        });
        return request;
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
