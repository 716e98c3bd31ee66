using McpPlatform.Core;

namespace McpPlatform.Audit;

/// <summary>Where and how an MCP server delivers its audit records (configuration section <c>Audit</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Audit";

    /// <summary>Base address of <c>collector-tenant</c>; by default the resource name, resolved by service discovery.</summary>
    public Uri BaseAddress { get; set; } = new($"http://{PlatformServices.CollectorTenant.ResourceName}");

    /// <summary>The audience (resource) of the service token: the collector's origin.</summary>
    public string Audience { get; set; } = PlatformServices.CollectorTenant.LocalOrigin;

    /// <summary>
    /// The spool folder. One process owns it at a time (a lock file); records left by a stopped
    /// process are shipped by the next one that takes the folder. Default: under the machine's
    /// local application data, per service.
    /// </summary>
    public string? SpoolPath { get; set; }

    /// <summary>Upper bound of the spool on disk; past it new records are dropped, counted and logged (docs/telemetry.md).</summary>
    public long MaxSpoolBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Records waiting in memory for the spool writer; past it records are dropped and counted.</summary>
    public int MaxQueuedRecords { get; set; } = 20_000;

    /// <summary>Records per delivery request (at most <see cref="AuditLimits.MaxRecordsPerBatch"/>).</summary>
    public int BatchSize { get; set; } = AuditLimits.MaxRecordsPerBatch;

    /// <summary>
    /// When a record counts as kept: <see cref="AuditDurability.Acknowledged"/> (the default) holds
    /// a tool call's response, or a token exchange's answer, until its record is fsynced in the
    /// spool, so a crash cannot lose the record of a call the caller saw succeed;
    /// <see cref="AuditDurability.Batched"/> answers at once and writes within
    /// <see cref="SpoolLinger"/> (a crash loses the records of that window). Costs: docs/reliability.md.
    /// </summary>
    public AuditDurability Durability { get; set; } = AuditDurability.Acknowledged;

    /// <summary>
    /// What happens when a record cannot be kept (the spool is at <see cref="MaxSpoolBytes"/>, its
    /// disk is full or a write fails): <see cref="AuditSpoolFullBehavior.FailClosed"/> (the default)
    /// refuses tool calls with <c>audit.unavailable</c> before they run, and answers a call whose
    /// record failed after it ran with that error instead of its result;
    /// <see cref="AuditSpoolFullBehavior.KeepServing"/> serves on and drops the records, counted in
    /// <c>mcpplatform.audit.dropped</c> and logged. Never silent either way.
    /// </summary>
    public AuditSpoolFullBehavior WhenSpoolFull { get; set; } = AuditSpoolFullBehavior.FailClosed;

    /// <summary>
    /// How long the spool writer waits for more records after the first before it writes a
    /// segment (0 writes at once). A longer linger means fewer, larger segments: one file, one
    /// fsync and, downstream, one request per batch instead of per call (docs/telemetry.md,
    /// "Cost"). Default: 0 with <see cref="AuditDurability.Acknowledged"/> (a caller waits for the
    /// write, and records queued during one fsync share the next), 50 ms with
    /// <see cref="AuditDurability.Batched"/>.
    /// </summary>
    public TimeSpan? SpoolLinger { get; set; }

    /// <summary>The linger in effect (<see cref="SpoolLinger"/>, or the durability's default).</summary>
    public TimeSpan EffectiveSpoolLinger =>
        SpoolLinger ?? (Durability == AuditDurability.Acknowledged ? TimeSpan.Zero : TimeSpan.FromMilliseconds(50));

    /// <summary>Longest wait between delivery attempts while the collector is unreachable.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Tenants whose policy opts in to raw arguments in their trail; everyone else gets the digest only.</summary>
    public HashSet<string> RawArgumentsTenants { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>When an audit record counts as kept (<see cref="AuditOptions.Durability"/>).</summary>
public enum AuditDurability
{
    /// <summary>The record is fsynced in the spool before the call it records is answered.</summary>
    Acknowledged,

    /// <summary>The call is answered at once; the record reaches the spool within the linger.</summary>
    Batched,
}

/// <summary>What a service does when it cannot keep audit records (<see cref="AuditOptions.WhenSpoolFull"/>).</summary>
public enum AuditSpoolFullBehavior
{
    /// <summary>Refuse calls with <c>audit.unavailable</c> while records cannot be kept.</summary>
    FailClosed,

    /// <summary>Serve on; records that cannot be kept are dropped, counted and logged.</summary>
    KeepServing,
}
