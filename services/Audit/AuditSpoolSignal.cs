namespace McpPlatform.Audit;

/// <summary>
/// The one thing the spool writer and the shipper share besides the spool: the writer's word that
/// it has just written (or tried to write) a segment, so an idle shipper looks at once instead of
/// at its next poll.
/// </summary>
internal sealed class AuditSpoolSignal : IDisposable
{
    // At most one pending wake-up: the shipper lists the folder anyway, so more would only spin it.
    private readonly SemaphoreSlim _spooled = new(0, 1);

    /// <summary>Wakes the shipper if it is waiting, or makes its next wait return at once.</summary>
    public void Notify()
    {
        try
        {
            _spooled.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending.
        }
    }

    /// <summary>Waits for <see cref="Notify"/> or the timeout, whichever comes first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _spooled.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _spooled.Dispose();
}
