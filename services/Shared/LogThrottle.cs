namespace McpPlatform.Shared;

/// <summary>
/// At most one log entry per interval for a condition that can repeat on every call (Redis down
/// under load would otherwise write a warning per call); the entry that is written says how many
/// were held back since the previous one. Thread-safe and lock-free.
/// </summary>
internal sealed class LogThrottle
{
    private readonly long _intervalMs;
    private readonly Func<long> _clockMs;
    private long _lastMs = long.MinValue;
    private long _suppressed;

    /// <summary>Creates the throttle.</summary>
    /// <param name="interval">The shortest time between two entries.</param>
    /// <param name="clockMs">Milliseconds of a monotonic clock; tests pass their own.</param>
    public LogThrottle(TimeSpan interval, Func<long>? clockMs = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _intervalMs = (long)interval.TotalMilliseconds;
        _clockMs = clockMs ?? (() => Environment.TickCount64);
    }

    /// <summary>Whether to write the entry now.</summary>
    /// <param name="suppressed">When true: how many entries were held back since the last one written.</param>
    /// <returns>True for the first occurrence and then at most once per interval.</returns>
    public bool TryEnter(out long suppressed)
    {
        var now = _clockMs();
        var last = Interlocked.Read(ref _lastMs);
        if ((last == long.MinValue || now - last >= _intervalMs) && Interlocked.CompareExchange(ref _lastMs, now, last) == last)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}
