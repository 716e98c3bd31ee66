using System.Collections.Concurrent;
using McpPlatform.CollectorPlatform.Otlp;
using McpPlatform.ServiceDefaults.Telemetry;

namespace McpPlatform.CollectorPlatform.Ingest;

/// <summary>
/// Per-tool platform metrics, aggregated from what every MCP server counts at the source
/// (<c>mcpplatform.tool.calls</c> by tool and outcome, <c>mcpplatform.tool.duration</c> by tool;
/// Tenancy's ToolCallMetrics), not from spans: traces are head-sampled under load, these count
/// every call. Exposed at <c>/v1/tool-calls</c>. Cumulative streams keep their latest value per
/// series (service, instance, stream start, attributes), so a restarted process adds a series
/// instead of resetting the total; delta streams are added up.
/// </summary>
public sealed class ToolCallStats
{
    /// <summary>The counter services export.</summary>
    public const string CallsMetric = "mcpplatform.tool.calls";

    /// <summary>The histogram services export (milliseconds).</summary>
    public const string DurationMetric = "mcpplatform.tool.duration";

    // At most this many series are kept (restarts × tools × outcomes); beyond it new series are
    // not tracked, so a misbehaving sender cannot grow the collector's memory.
    private const int MaxSeries = 10_000;

    private readonly ConcurrentDictionary<SeriesKey, long> _calls = new();
    private readonly ConcurrentDictionary<SeriesKey, Buckets> _durations = new();

    /// <summary>Adds the tool-call data points of a (cleaned) metrics export.</summary>
    public void Add(ExportMetricsServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            var service = TenantFreeChecker.ServiceOf(resourceMetrics.Resource);
            var instance = resourceMetrics.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.instance.id")?.Value?.StringValue ?? string.Empty;
            foreach (var metric in resourceMetrics.ScopeMetrics.SelectMany(scope => scope.Metrics))
            {
                if (metric.Name == CallsMetric && metric.DataCase == Metric.DataOneofCase.Sum)
                {
                    AddCalls(service, instance, metric.Sum);
                }
                else if (metric.Name == DurationMetric && metric.DataCase == Metric.DataOneofCase.Histogram)
                {
                    AddDurations(service, instance, metric.Histogram);
                }
            }
        }
    }

    private void AddCalls(string service, string instance, Sum sum)
    {
        var delta = sum.AggregationTemporality == AggregationTemporality.Delta;
        foreach (var point in sum.DataPoints)
        {
            var value = point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : (long)point.AsDouble;
            var key = new SeriesKey(service, instance, delta ? 0 : point.StartTimeUnixNano,
                StringAttribute(point.Attributes, "gen_ai.tool.name") ?? McpVocabulary.Unknown, StringAttribute(point.Attributes, "outcome") ?? "ok");
            if (!_calls.ContainsKey(key) && _calls.Count >= MaxSeries)
            {
                continue;
            }

            _calls.AddOrUpdate(key, value, (_, previous) => delta ? previous + value : value);
        }
    }

    private void AddDurations(string service, string instance, Histogram histogram)
    {
        var delta = histogram.AggregationTemporality == AggregationTemporality.Delta;
        foreach (var point in histogram.DataPoints)
        {
            if (point.BucketCounts.Count != point.ExplicitBounds.Count + 1)
            {
                continue;
            }

            var key = new SeriesKey(service, instance, delta ? 0 : point.StartTimeUnixNano,
                StringAttribute(point.Attributes, "gen_ai.tool.name") ?? McpVocabulary.Unknown, string.Empty);
            if (!_durations.ContainsKey(key) && _durations.Count >= MaxSeries)
            {
                continue;
            }

            var received = new Buckets([.. point.ExplicitBounds, double.PositiveInfinity], [.. point.BucketCounts.Select(c => (long)c)]);
            _durations.AddOrUpdate(key, received, (_, previous) => delta ? previous.Plus(received) : received);
        }
    }

    /// <summary>Per service and tool, busiest first.</summary>
    public IReadOnlyList<ToolCallSummary> Summaries()
    {
        var calls = _calls.GroupBy(e => (e.Key.Service, e.Key.Tool)).ToDictionary(g => g.Key, g => g.ToList());
        var durations = _durations.GroupBy(e => (e.Key.Service, e.Key.Tool))
            .ToDictionary(g => g.Key, g => g.Select(e => e.Value).Aggregate((a, b) => a.Plus(b)));
        return
        [
            .. calls.Keys.Union(durations.Keys).Select(key =>
            {
                var counts = calls.GetValueOrDefault(key) ?? [];
                long Of(string outcome) => counts.Where(e => e.Key.Outcome == outcome).Sum(e => e.Value);
                var buckets = durations.GetValueOrDefault(key);
                return new ToolCallSummary(key.Service, key.Tool, counts.Sum(e => e.Value), Of("error"), Of("denied"),
                    buckets?.Percentile(0.50) ?? 0, buckets?.Percentile(0.95) ?? 0, buckets?.Percentile(0.99) ?? 0);
            }).OrderByDescending(s => s.Calls),
        ];
    }

    private static string? StringAttribute(IEnumerable<KeyValue> attributes, string key) =>
        attributes.FirstOrDefault(a => a.Key == key)?.Value?.StringValue;

    private readonly record struct SeriesKey(string Service, string Instance, ulong Start, string Tool, string Outcome);

    /// <summary>Histogram buckets by upper bound; percentiles are reported as the bound of their bucket.</summary>
    private sealed record Buckets(double[] Bounds, long[] Counts)
    {
        public Buckets Plus(Buckets other)
        {
            var merged = new SortedDictionary<double, long>();
            foreach (var side in new[] { this, other })
            {
                for (var i = 0; i < side.Bounds.Length; i++)
                {
                    merged[side.Bounds[i]] = merged.GetValueOrDefault(side.Bounds[i]) + side.Counts[i];
                }
            }

            return new Buckets([.. merged.Keys], [.. merged.Values]);
        }

        public double Percentile(double quantile)
        {
            var total = Counts.Sum();
            if (total == 0)
            {
                return 0;
            }

            var rank = (long)Math.Ceiling(quantile * total);
            long seen = 0;
            for (var i = 0; i < Counts.Length; i++)
            {
                seen += Counts[i];
                if (seen >= rank)
                {
                    return Bounds[i];
                }
            }

            return Bounds[^1];
        }
    }
}
