using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using McpPlatform.CollectorPlatform.Otlp;

namespace McpPlatform.CollectorPlatform.Ingest;

/// <summary>Calls, errors and latency of one tool on one service.</summary>
public sealed record ToolCallSummary(string Service, string Tool, long Calls, long Errors, double P50Ms, double P95Ms, double P99Ms);

/// <summary>
/// Platform metrics aggregated from the (already cleaned) spans: every MCP <c>tools/call</c> span
/// counts as a call of its tool on its service, an error when its status is error or it carries
/// <c>error.type</c>. Exposed at <c>/v1/tool-calls</c> and as the collector's own metrics
/// (<c>mcpplatform.tool.calls</c>, <c>mcpplatform.tool.duration</c>), which reach the dashboard.
/// </summary>
public sealed class ToolCallStats
{
    // Upper bounds in milliseconds; a percentile is reported as the bound of its bucket.
    private static readonly double[] s_boundsMs =
        [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, double.PositiveInfinity];

    private readonly ConcurrentDictionary<(string Service, string Tool), Entry> _entries = new();
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;

    /// <summary>Creates the aggregator and its instruments.</summary>
    public ToolCallStats(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(CollectorMeters.Name);
        _calls = meter.CreateCounter<long>("mcpplatform.tool.calls", description: "MCP tool calls seen by collector-platform, by service, tool and outcome.");
        _duration = meter.CreateHistogram<double>("mcpplatform.tool.duration", unit: "ms", description: "MCP tool call duration by service and tool.");
    }

    /// <summary>Adds the tool-call spans of a cleaned trace export.</summary>
    public void Add(ExportTraceServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var service = TenantFreeChecker.ServiceOf(resourceSpans.Resource);
            foreach (var span in resourceSpans.ScopeSpans.SelectMany(s => s.Spans))
            {
                if (span.Kind == Span.Types.SpanKind.Client || StringAttribute(span, "mcp.method.name") != "tools/call")
                {
                    continue;
                }

                var tool = StringAttribute(span, "gen_ai.tool.name") ?? "unknown";
                var error = span.Status?.Code == Status.Types.StatusCode.Error || span.Attributes.Any(a => a.Key == "error.type");
                var milliseconds = span.EndTimeUnixNano > span.StartTimeUnixNano
                    ? (span.EndTimeUnixNano - span.StartTimeUnixNano) / 1_000_000.0
                    : 0;
                _entries.GetOrAdd((service, tool), _ => new Entry()).Add(milliseconds, error);
                var outcome = error ? "error" : "ok";
                _calls.Add(1, new("service", service), new("gen_ai.tool.name", tool), new("outcome", outcome));
                _duration.Record(milliseconds, new("service", service), new("gen_ai.tool.name", tool));
            }
        }
    }

    /// <summary>Per service and tool, busiest first.</summary>
    public IReadOnlyList<ToolCallSummary> Summaries() =>
        [.. _entries.Select(e => e.Value.Summary(e.Key.Service, e.Key.Tool)).OrderByDescending(s => s.Calls)];

    private static string? StringAttribute(Span span, string key) =>
        span.Attributes.FirstOrDefault(a => a.Key == key)?.Value?.StringValue;

    private sealed class Entry
    {
        private readonly long[] _buckets = new long[s_boundsMs.Length];
        private long _calls;
        private long _errors;

        public void Add(double milliseconds, bool error)
        {
            var bucket = Array.FindIndex(s_boundsMs, bound => milliseconds <= bound);
            Interlocked.Increment(ref _buckets[bucket]);
            Interlocked.Increment(ref _calls);
            if (error)
            {
                Interlocked.Increment(ref _errors);
            }
        }

        public ToolCallSummary Summary(string service, string tool)
        {
            var counts = _buckets.Select(b => Interlocked.Read(ref b)).ToArray();
            var total = counts.Sum();
            return new(service, tool, Interlocked.Read(ref _calls), Interlocked.Read(ref _errors),
                Percentile(counts, total, 0.50), Percentile(counts, total, 0.95), Percentile(counts, total, 0.99));
        }

        private static double Percentile(long[] counts, long total, double quantile)
        {
            if (total == 0)
            {
                return 0;
            }

            var rank = (long)Math.Ceiling(quantile * total);
            long seen = 0;
            for (var i = 0; i < counts.Length; i++)
            {
                seen += counts[i];
                if (seen >= rank)
                {
                    return s_boundsMs[i];
                }
            }

            return s_boundsMs[^1];
        }
    }
}
