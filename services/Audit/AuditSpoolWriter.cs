using McpPlatform.Core;
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
        var left = new List<AuditRecord>();
        while (emitter.Reader.TryRead(out var record))
        {
            left.Add(record);
        }

        if (left.Count > 0 && !spool.TryAppend(left))
        {
            emitter.CountDropped(left.Count, "spool full at shutdown");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditRecord>(MaxRecordsPerSegment);
        try
        {
            var linger = options.Value.SpoolLinger;
            while (await emitter.Reader.WaitToReadAsync(stoppingToken))
            {
                if (linger > TimeSpan.Zero)
                {
                    // Let the records of calls running now join this segment (see SpoolLinger).
                    await Task.Delay(linger, stoppingToken);
                }

                while (batch.Count < MaxRecordsPerSegment && emitter.Reader.TryRead(out var record))
                {
                    batch.Add(record);
                }

                try
                {
                    if (!spool.TryAppend(batch))
                    {
                        emitter.CountDropped(batch.Count, $"spool full ({spool.Bytes} bytes of {options.Value.MaxSpoolBytes})");
                    }
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    LogSpoolWriteFailed(logger, exception, batch.Count);
                    emitter.CountDropped(batch.Count, "spool write failed");
                }

                batch.Clear();
                spooled.Notify();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // StopAsync writes what is left.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Count} audit records to the spool.")]
    private static partial void LogSpoolWriteFailed(ILogger logger, Exception exception, int count);
}
