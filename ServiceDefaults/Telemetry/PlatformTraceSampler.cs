using System.Diagnostics;
using OpenTelemetry.Trace;

namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// Head sampling that bounds what tracing costs a service per second instead of per call: every
/// call is traced while calls are few (a developer watching the dashboard sees each one), and under
/// load a service starts at most <see cref="TraceSamplingOptions.MaxPerSecond"/> new traces a
/// second. Metrics and logs are not sampled; they count every call.
/// <list type="bullet">
/// <item>A span whose parent is in the same process follows the parent (whole local trees).</item>
/// <item>A span whose remote parent was sampled (a platform service calling another) is sampled
/// too, so traces stay whole across services, up to <see cref="TraceSamplingOptions.FollowFactor"/>
/// times the budget: a caller that marks every request sampled cannot make this service trace all
/// of them.</item>
/// <item>Anything else (a new trace, or a caller that did not sample) is sampled while the
/// service's own budget allows: a burst of twice the per-second budget, refilled continuously.</item>
/// </list>
/// </summary>
public sealed class PlatformTraceSampler : Sampler
{
    private static readonly SamplingResult Sample = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Skip = new(SamplingDecision.Drop);

    private readonly RateGate _roots;
    private readonly RateGate _followed;
    private readonly Func<long> _clock;

    /// <summary>Creates the sampler.</summary>
    /// <param name="options">The budget.</param>
    /// <param name="clock">Stopwatch timestamps; tests pass their own.</param>
    public PlatformTraceSampler(TraceSamplingOptions options, Func<long>? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _clock = clock ?? Stopwatch.GetTimestamp;
        _roots = new RateGate(options.MaxPerSecond, burstSeconds: 2);
        _followed = new RateGate(options.MaxPerSecond * options.FollowFactor, burstSeconds: 2);
        Description = $"PlatformTraceSampler{{{options.MaxPerSecond}/s}}";
    }

    /// <summary>Spans not sampled because the budget was spent (new traces and followed parents).</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    private long _skipped;

    /// <inheritdoc />
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var parent = samplingParameters.ParentContext;
        var sampledParent = (parent.TraceFlags & ActivityTraceFlags.Recorded) != 0;
        if (parent.TraceId != default && !parent.IsRemote)
        {
            return sampledParent ? Sample : Skip;
        }

        var gate = parent.TraceId != default && sampledParent ? _followed : _roots;
        if (gate.TryEnter(_clock()))
        {
            return Sample;
        }

        Interlocked.Increment(ref _skipped);
        return Skip;
    }

    /// <summary>
    /// A lock-free rate limit (generic cell rate algorithm): one permit every 1/rate seconds, up to
    /// a burst of <c>rate × burstSeconds</c> permits after idleness.
    /// </summary>
    private sealed class RateGate
    {
        private readonly long _interval;
        private readonly long _tolerance;
        private readonly bool _closed;
        private long _next = long.MinValue / 2;

        public RateGate(double perSecond, double burstSeconds)
        {
            _closed = perSecond <= 0;
            if (!_closed)
            {
                _interval = Math.Max(1, (long)(Stopwatch.Frequency / perSecond));
                _tolerance = Math.Max(_interval, (long)(Stopwatch.Frequency * burstSeconds));
            }
        }

        public bool TryEnter(long now)
        {
            if (_closed)
            {
                return false;
            }

            while (true)
            {
                var next = Volatile.Read(ref _next);
                var after = Math.Max(next, now) + _interval;
                if (after - now > _tolerance)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _next, after, next) == next)
                {
                    return true;
                }
            }
        }
    }
}
