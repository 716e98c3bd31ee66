using System.Buffers.Binary;
using McpPlatform.CollectorPlatform.Extensions;
using McpPlatform.CollectorPlatform.Otlp;
using Microsoft.Extensions.Options;

namespace McpPlatform.CollectorPlatform.Ingest;

/// <summary>
/// Thins the traces forwarded to the dashboard once they come faster than
/// <see cref="CollectorPlatformOptions.ForwardMaxTracesPerSecond"/>: whole traces are kept or left
/// out by their trace id (the same decision in every service's batches while the rate holds),
/// spans with an error are always kept. Only forwarding is thinned: checks, findings and the
/// tool-call statistics see every span. Below the limit everything is forwarded.
/// </summary>
/// <remarks>
/// Why: the Aspire dashboard is a development view that stores and indexes every span it gets;
/// at hundreds of calls a second it used half a core of a two-core machine (docs/benchmarks.md,
/// "Cost of a call"), taking CPU from the tool calls themselves.
/// </remarks>
public sealed class TraceForwardSampler
{
    private readonly int _maxPerSecond;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private long _windowStart;
    private int _tracesInWindow;
    private double _ratio = 1;

    /// <summary>Creates the sampler.</summary>
    /// <param name="options">The collector's options.</param>
    /// <param name="time">The clock.</param>
    public TraceForwardSampler(IOptions<CollectorPlatformOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maxPerSecond = options.Value.ForwardMaxTracesPerSecond;
        _time = time;
        _windowStart = time.GetTimestamp();
    }

    /// <summary>The share of traces forwarded now (1 = all).</summary>
    public double Ratio
    {
        get
        {
            lock (_gate)
            {
                return _ratio;
            }
        }
    }

    /// <summary>Removes the spans not to forward from <paramref name="request"/>.</summary>
    /// <param name="request">A checked batch; changed in place.</param>
    /// <returns>True when anything is left to forward.</returns>
    public bool Thin(ExportTraceServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_maxPerSecond <= 0)
        {
            return request.ResourceSpans.Count > 0;
        }

        var ratio = Observe(request);
        if (ratio >= 1)
        {
            return request.ResourceSpans.Count > 0;
        }

        var threshold = (ulong)(ratio * ulong.MaxValue);
        for (var r = request.ResourceSpans.Count - 1; r >= 0; r--)
        {
            var resource = request.ResourceSpans[r];
            for (var s = resource.ScopeSpans.Count - 1; s >= 0; s--)
            {
                var spans = resource.ScopeSpans[s].Spans;
                for (var i = spans.Count - 1; i >= 0; i--)
                {
                    if (!Keep(spans[i], threshold))
                    {
                        spans.RemoveAt(i);
                    }
                }

                if (spans.Count == 0)
                {
                    resource.ScopeSpans.RemoveAt(s);
                }
            }

            if (resource.ScopeSpans.Count == 0)
            {
                request.ResourceSpans.RemoveAt(r);
            }
        }

        return request.ResourceSpans.Count > 0;
    }

    private static bool Keep(Span span, ulong threshold) =>
        span.Status?.Code == Status.Types.StatusCode.Error
        || span.TraceId.Length < 16
        // The trace id's last 8 bytes are random (W3C Trace Context): a uniform, shared decision.
        || BinaryPrimitives.ReadUInt64BigEndian(span.TraceId.Span[8..]) <= threshold;

    // Counts the batch's traces into one-second windows; each closed window sets the ratio for
    // the next, so the forwarded rate follows the incoming rate within about a second.
    private double Observe(ExportTraceServiceRequest request)
    {
        var traces = new HashSet<Google.Protobuf.ByteString>();
        foreach (var resource in request.ResourceSpans)
        {
            foreach (var scope in resource.ScopeSpans)
            {
                foreach (var span in scope.Spans)
                {
                    // Distinct ids per batch: a trace whose spans come in several batches (or
                    // from several services) counts more than once, which only thins earlier.
                    traces.Add(span.TraceId);
                }
            }
        }

        lock (_gate)
        {
            var elapsed = _time.GetElapsedTime(_windowStart);
            if (elapsed >= TimeSpan.FromSeconds(1))
            {
                var rate = _tracesInWindow / elapsed.TotalSeconds;
                _ratio = rate <= _maxPerSecond ? 1 : _maxPerSecond / rate;
                _tracesInWindow = 0;
                _windowStart = _time.GetTimestamp();
            }

            _tracesInWindow += traces.Count;
            return _ratio;
        }
    }
}
