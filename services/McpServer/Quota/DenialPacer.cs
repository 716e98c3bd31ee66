using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using McpPlatform.Core;
using McpPlatform.Core.Quota;
using Microsoft.Extensions.Options;

namespace McpPlatform.McpServer.Quota;

/// <summary>
/// Honours <c>retryAfterSeconds</c> on the server's side. A denial tells the caller when to come
/// back; a principal that calls again before then and is denied again gets that second denial
/// late: after between half and all of <c>retryAfterSeconds</c> (at most
/// <see cref="DenialPacingOptions.MaxDelay"/>), at random so held callers do not return
/// together. The first denial is always immediate, a granted call is never held, and the
/// denial itself (code, message, retryAfterSeconds) is unchanged — it only arrives later.
/// </summary>
/// <remarks>
/// Why: a denial costs the server almost as much CPU as a cheap granted call (HTTP, token
/// check, JSON-RPC, one Redis round trip). An agent that retries in a tight loop regardless of
/// <c>retryAfterSeconds</c> otherwise turns its own denials into a CPU flood that slows every
/// other tenant on the instance (docs/benchmarks.md, "Noisy neighbour"). Holding costs a timer,
/// no thread. State is one timestamp per recently denied principal, swept as it expires;
/// the race between two concurrent denials of one principal can only shorten a hold.
/// </remarks>
public sealed class DenialPacer
{
    /// <summary>The meter of admission outcomes seen by MCP servers (tenant-free, like every platform metric).</summary>
    public const string MeterName = "McpPlatform.Admission";

    private const int SweepEvery = 1024;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _notBefore = new(StringComparer.Ordinal);
    private readonly IOptionsMonitor<DenialPacingOptions> _options;
    private readonly TimeProvider _time;
    private readonly Counter<long> _denials;
    private int _calls;
    private int _tracked;

    /// <summary>Creates the pacer.</summary>
    /// <param name="options">Pacing options (reloadable).</param>
    /// <param name="time">The clock.</param>
    /// <param name="meters">Meter factory for the denial counter.</param>
    public DenialPacer(IOptionsMonitor<DenialPacingOptions> options, TimeProvider time, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(meters);
        _options = options;
        _time = time;
        _denials = meters.Create(MeterName).CreateCounter<long>(
            "mcpplatform.admission.denials", description: "Tool calls denied by admission, by reason code; outcome 'paced' when the denial was held because the caller came back before retryAfterSeconds.");
    }

    /// <summary>Principals with a pending retry time (for tests and diagnostics).</summary>
    public int Tracked => Volatile.Read(ref _tracked);

    /// <summary>How long to hold this denial before answering it; records the caller's new retry time.</summary>
    /// <param name="tenant">The denied call's context.</param>
    /// <param name="denial">The denial.</param>
    /// <returns>Zero for an immediate answer.</returns>
    public TimeSpan HoldFor(TenantContext tenant, QuotaDenial denial)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(denial);
        var options = _options.CurrentValue;
        var now = _time.GetUtcNow();
        SweepSometimes(now);
        var maxDelay = options.Enabled ? TimeSpan.FromTicks(Math.Clamp(options.MaxDelay.Ticks, 0, TimeSpan.TicksPerSecond * 10)) : TimeSpan.Zero;
        if (maxDelay <= TimeSpan.Zero || denial.RetryAfterSeconds is not > 0)
        {
            Count(denial, paced: false);
            return TimeSpan.Zero;
        }

        // The quota partition and the principal: the unit a denial speaks to.
        var key = string.Concat(tenant.QuotaPartition, "\n", tenant.PrincipalId);
        var next = now.AddSeconds(denial.RetryAfterSeconds.Value);
        var hold = TimeSpan.Zero;
        if (_notBefore.TryGetValue(key, out var previous))
        {
            if (previous > now)
            {
                // Between half and all of the wait, at random: held callers released at one
                // instant would come back together, a burst that slows everyone else's calls.
                var wait = TimeSpan.FromSeconds(denial.RetryAfterSeconds.Value);
                wait = wait < maxDelay ? wait : maxDelay;
                hold = wait * (0.5 + (Random.Shared.NextDouble() / 2));
            }

            _notBefore[key] = previous > next ? previous : next;
        }
        else if (Volatile.Read(ref _tracked) < options.MaxTrackedPrincipals && _notBefore.TryAdd(key, next))
        {
            Interlocked.Increment(ref _tracked);
        }

        Count(denial, paced: hold > TimeSpan.Zero);
        return hold;
    }

    /// <summary>Holds a denial as <see cref="HoldFor"/> says, then returns it; a caller that goes away ends the hold.</summary>
    /// <param name="tenant">The denied call's context.</param>
    /// <param name="denial">The denial.</param>
    /// <param name="cancellationToken">The call's cancellation.</param>
    /// <returns>A task that completes when the denial may be answered.</returns>
    public async ValueTask PaceAsync(TenantContext tenant, QuotaDenial denial, CancellationToken cancellationToken)
    {
        var hold = HoldFor(tenant, denial);
        if (hold <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await Task.Delay(hold, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller left; the denial is answered (to no one) at once.
        }
    }

    private void Count(QuotaDenial denial, bool paced) =>
        _denials.Add(1, new KeyValuePair<string, object?>("reason", denial.Code), new KeyValuePair<string, object?>("outcome", paced ? "paced" : "immediate"));

    private void SweepSometimes(DateTimeOffset now)
    {
        if (Interlocked.Increment(ref _calls) % SweepEvery != 0)
        {
            return;
        }

        foreach (var (key, notBefore) in _notBefore)
        {
            if (notBefore <= now)
            {
                if (_notBefore.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, notBefore)))
                {
                    Interlocked.Decrement(ref _tracked);
                }
            }
        }
    }
}
