using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpPlatform.Audit;

/// <summary>
/// The spool writer: moves audit records from the emitter's queue to the spool, a batch per
/// segment (one fsync each), and tells the shipper (<see cref="AuditSpoolSignal"/>) when it wrote
/// one. On shutdown it writes out whatever is still queued.
/// </summary>
internal sealed partial class AuditSpoolWriter(
    AuditEmitter emitter,
    AuditSpool spool,
    AuditSpoolSignal spooled,
    IOptions<AuditOptions> options,
    ILogger<AuditSpoolWriter> logger) : BackgroundService
{
    private const int MaxRecordsPerSegment = 1000;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Whatever is still queued is written to the spool before the process ends; shipping it
        // is the next start's job (or another instance's, for a replaced container with a volume).
        emitter.Complete();
        await base.StopAsync(cancellationToken);
        var left = new List<PendingRecord>();
        while (emitter.Reader.TryRead(out var pending))
        {
            left.Add(pending);
        }

        for (var offset = 0; offset < left.Count; offset += MaxRecordsPerSegment)
        {
            Write(left.GetRange(offset, Math.Min(MaxRecordsPerSegment, left.Count - offset)), "at shutdown");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingRecord>(MaxRecordsPerSegment);
        try
        {
            var linger = options.Value.EffectiveSpoolLinger;
            while (await emitter.Reader.WaitToReadAsync(stoppingToken))
            {
                if (linger > TimeSpan.Zero)
                {
                    // Let the records of calls running now join this segment (see SpoolLinger).
                    await Task.Delay(linger, stoppingToken);
                }

                // Without a linger this is group commit: what queued during the last fsync goes
                // into this segment together.
                while (batch.Count < MaxRecordsPerSegment && emitter.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                Write(batch, string.Empty);
                batch.Clear();
                spooled.Notify();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // StopAsync writes what is left.
        }
    }

    // One segment; whoever waits on a record learns whether it was kept.
    private void Write(List<PendingRecord> batch, string when)
    {
        bool kept;
        string? reason = null;
        try
        {
            kept = spool.TryAppend(batch.ConvertAll(pending => pending.Record));
            reason = kept ? null : $"spool full ({spool.Bytes} bytes of {options.Value.MaxSpoolBytes})";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogSpoolWriteFailed(logger, exception, batch.Count);
            kept = false;
            reason = "spool write failed";
        }

        emitter.ReportWrite(kept);
        if (!kept)
        {
            emitter.CountDropped(batch.Count, when.Length == 0 ? reason! : $"{reason} {when}");
        }

        foreach (var pending in batch)
        {
            pending.Written?.TrySetResult(kept);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Count} audit records to the spool.")]
    private static partial void LogSpoolWriteFailed(ILogger logger, Exception exception, int count);
}
