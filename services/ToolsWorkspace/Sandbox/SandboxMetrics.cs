using System.Diagnostics.Metrics;

namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>
/// The worker pool as operators watch it (platform telemetry, tenant-free: no tenant, no worker
/// ids): worker starts and how long they took, stops by reason, and how many workers are warm and
/// bound. Per-call outcomes are the tool-call metrics' (by tool and outcome).
/// </summary>
public sealed class SandboxMetrics
{
    /// <summary>The meter.</summary>
    public const string MeterName = "McpPlatform.ToolsWorkspace.Sandbox";

    /// <summary>Worker starts, tagged <c>kind</c> (warm, tenant) and <c>outcome</c> (ok, failed).</summary>
    public const string StartsInstrument = "mcpplatform.sandbox.worker.starts";

    /// <summary>Seconds from process start to the worker's ready line.</summary>
    public const string StartDurationInstrument = "mcpplatform.sandbox.worker.start.duration";

    /// <summary>Workers stopped, tagged <c>reason</c>: fault (a limit or a crash), recycled (invocations), memory (resident above the mark), idle, evicted (for another tenant), exited (died while idle), shutdown.</summary>
    public const string StopsInstrument = "mcpplatform.sandbox.worker.stops";

    /// <summary>Workers alive, tagged <c>state</c> (warm, all).</summary>
    public const string WorkersInstrument = "mcpplatform.sandbox.workers";

    private readonly Meter _meter;
    private readonly Counter<long> _starts;
    private readonly Histogram<double> _startDuration;
    private readonly Counter<long> _stops;

    /// <summary>Creates the instruments.</summary>
    /// <param name="meters">The host's meter factory.</param>
    public SandboxMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _starts = _meter.CreateCounter<long>(StartsInstrument, unit: "{worker}", description: "Script worker starts by kind and outcome.");
        _startDuration = _meter.CreateHistogram(StartDurationInstrument, unit: "s", description: "Script worker start to ready.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 30] });
        _stops = _meter.CreateCounter<long>(StopsInstrument, unit: "{worker}", description: "Script workers stopped by reason.");
    }

    /// <summary>Observes the pool's sizes.</summary>
    /// <param name="warm">Warm workers now.</param>
    /// <param name="all">Workers alive or starting now.</param>
    internal void ObservePool(Func<int> warm, Func<int> all) =>
        _meter.CreateObservableGauge(WorkersInstrument, () => new[]
        {
            new Measurement<int>(warm(), new KeyValuePair<string, object?>("state", "warm")),
            new Measurement<int>(all(), new KeyValuePair<string, object?>("state", "all")),
        }, unit: "{worker}", description: "Script workers alive, warm and all.");

    internal void Started(bool warm, bool ok, TimeSpan duration)
    {
        _starts.Add(1, new KeyValuePair<string, object?>("kind", warm ? "warm" : "tenant"), new KeyValuePair<string, object?>("outcome", ok ? "ok" : "failed"));
        if (ok)
        {
            _startDuration.Record(duration.TotalSeconds);
        }
    }

    internal void Stopped(string reason) => _stops.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
