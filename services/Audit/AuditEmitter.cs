using System.Diagnostics.Metrics;
using System.Threading.Channels;
using McpPlatform.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpPlatform.Audit;

/// <summary>
/// Where tool calls hand their audit record: a bounded in-memory queue that the spool writer
/// drains to disk. <see cref="WriteAsync"/> completes when the record is kept as
/// <see cref="AuditOptions.Durability"/> says (fsynced in the spool, or queued); <see cref="Emit"/>
/// only queues. Neither throws; what cannot be kept is counted and logged, never silent.
/// </summary>
public sealed partial class AuditEmitter
{
    /// <summary>The meter of the tenant pipeline's emitter side (tenant-free counters).</summary>
    public const string MeterName = "McpPlatform.Audit";

    // Room a call's record needs in the spool before a fail-closed service lets the call run:
    // a segment of a few records, with margin (records are ≤ ~10 KiB with raw arguments).
    private const long RecordReserveBytes = 64 * 1024;

    private static readonly TimeSpan s_failureHold = TimeSpan.FromSeconds(1);

    private readonly Channel<PendingRecord> _queue;
    private readonly Counter<long> _emitted;
    private readonly Counter<long> _dropped;
    private readonly ILogger<AuditEmitter> _logger;
    private readonly AuditDurability _durability;
    private long _droppedTotal;
    private long _failedAt = long.MinValue / 2;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">Queue bound and durability.</param>
    /// <param name="meters">Meter factory for the counters.</param>
    /// <param name="logger">Where drops are reported.</param>
    public AuditEmitter(IOptions<AuditOptions> options, IMeterFactory meters, ILogger<AuditEmitter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _logger = logger;
        _durability = options.Value.Durability;
        FailsClosed = options.Value.WhenSpoolFull == AuditSpoolFullBehavior.FailClosed;
        _queue = Channel.CreateBounded<PendingRecord>(new BoundedChannelOptions(Math.Max(1, options.Value.MaxQueuedRecords))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var meter = meters.Create(MeterName);
        _emitted = meter.CreateCounter<long>("mcpplatform.audit.emitted", description: "Audit records handed to the spool.");
        _dropped = meter.CreateCounter<long>("mcpplatform.audit.dropped", description: "Audit records dropped because the queue or the spool was full, or the spool could not be written.");
    }

    /// <summary>Records dropped since start (queue or spool full, or a failed write).</summary>
    public long Dropped => Interlocked.Read(ref _droppedTotal);

    /// <summary>True when the service refuses work whose record it cannot keep (<see cref="AuditSpoolFullBehavior.FailClosed"/>).</summary>
    public bool FailsClosed { get; }

    /// <summary>
    /// Whether a new record can be kept now: the spool has room (cap and free disk) and no write
    /// failed in the last second. A fail-closed service asks before it lets a call run.
    /// </summary>
    public bool Accepting =>
        Environment.TickCount64 - Interlocked.Read(ref _failedAt) >= (long)s_failureHold.TotalMilliseconds
        && (Spool?.HasRoomFor(RecordReserveBytes) ?? true);

    /// <summary>The spool the writer fills (set at registration; asked for room by <see cref="Accepting"/>).</summary>
    internal AuditSpool? Spool { get; init; }

    internal ChannelReader<PendingRecord> Reader => _queue.Reader;

    /// <summary>Queues one record for the spool without waiting for it; false (counted, logged) when the queue is full.</summary>
    /// <param name="record">The record, with its id already assigned.</param>
    /// <returns>True when queued.</returns>
    public bool Emit(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Enqueue(new PendingRecord(record, null));
    }

    /// <summary>
    /// Hands one record to the spool and waits until it is kept as <see cref="AuditOptions.Durability"/>
    /// says: with <see cref="AuditDurability.Acknowledged"/> until its segment is fsynced, with
    /// <see cref="AuditDurability.Batched"/> until it is queued. Not cancellable on purpose: the
    /// record of a cancelled call is written too.
    /// </summary>
    /// <param name="record">The record, with its id already assigned.</param>
    /// <returns>True when kept; false when it was dropped (counted and logged).</returns>
    public ValueTask<bool> WriteAsync(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_durability != AuditDurability.Acknowledged)
        {
            return ValueTask.FromResult(Enqueue(new PendingRecord(record, null)));
        }

        var written = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        return Enqueue(new PendingRecord(record, written)) ? new ValueTask<bool>(written.Task) : ValueTask.FromResult(false);
    }

    private bool Enqueue(PendingRecord pending)
    {
        if (_queue.Writer.TryWrite(pending))
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

    /// <summary>The spool writer reports each segment: a failure holds <see cref="Accepting"/> false for a second.</summary>
    internal void ReportWrite(bool succeeded)
    {
        if (!succeeded)
        {
            Interlocked.Exchange(ref _failedAt, Environment.TickCount64);
        }
    }

    internal void Complete() => _queue.Writer.TryComplete();

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit records are being dropped ({Total} so far): {Reason}. Raise Audit:MaxSpoolBytes, free the spool's disk or bring collector-tenant back.")]
    private static partial void LogDropped(ILogger logger, long total, string reason);
}

/// <summary>A queued record, and who waits for it to be written (null when nobody does).</summary>
/// <param name="Record">The record.</param>
/// <param name="Written">Completed with true once the record's segment is durable, false when it was dropped.</param>
internal readonly record struct PendingRecord(AuditRecord Record, TaskCompletionSource<bool>? Written);
