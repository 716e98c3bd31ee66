using System.Diagnostics.Metrics;
using System.Threading.Channels;
using McpPlatform.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpPlatform.Audit;

/// <summary>
/// Where tool calls hand their audit record: a bounded in-memory queue that the spool writer
/// drains to disk. <see cref="Emit"/> never blocks and never throws, so auditing stays off the
/// tool call's response path; what cannot be queued is counted and logged, never silent.
/// </summary>
public sealed partial class AuditEmitter
{
    /// <summary>The meter of the tenant pipeline's emitter side (tenant-free counters).</summary>
    public const string MeterName = "McpPlatform.Audit";

    private readonly Channel<AuditRecord> _queue;
    private readonly Counter<long> _emitted;
    private readonly Counter<long> _dropped;
    private readonly ILogger<AuditEmitter> _logger;
    private long _droppedTotal;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">Queue bound.</param>
    /// <param name="meters">Meter factory for the counters.</param>
    /// <param name="logger">Where drops are reported.</param>
    public AuditEmitter(IOptions<AuditOptions> options, IMeterFactory meters, ILogger<AuditEmitter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _logger = logger;
        _queue = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(Math.Max(1, options.Value.MaxQueuedRecords))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var meter = meters.Create(MeterName);
        _emitted = meter.CreateCounter<long>("mcpplatform.audit.emitted", description: "Audit records handed to the spool.");
        _dropped = meter.CreateCounter<long>("mcpplatform.audit.dropped", description: "Audit records dropped because the queue or the spool was full.");
    }

    /// <summary>Records dropped since start (queue or spool full).</summary>
    public long Dropped => Interlocked.Read(ref _droppedTotal);

    internal ChannelReader<AuditRecord> Reader => _queue.Reader;

    /// <summary>Queues one record for the spool; false (counted, logged) when the queue is full.</summary>
    /// <param name="record">The record, with its id already assigned.</param>
    /// <returns>True when queued.</returns>
    public bool Emit(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_queue.Writer.TryWrite(record))
        {
            _emitted.Add(1);
            return true;
        }

        CountDropped(1, "queue full");
        return false;
    }

    internal void CountDropped(int count, string reason)
    {
        _dropped.Add(count);
        // Log the first drop and then every thousandth: a full spool must be visible without
        // turning every tool call into a log line.
        var total = Interlocked.Add(ref _droppedTotal, count);
        if (total - count == 0 || total / 1000 != (total - count) / 1000)
        {
            LogDropped(_logger, total, reason);
        }
    }

    internal void Complete() => _queue.Writer.TryComplete();

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit records are being dropped ({Total} so far): {Reason}. Raise Audit:MaxSpoolBytes or bring collector-tenant back.")]
    private static partial void LogDropped(ILogger logger, long total, string reason);
}
