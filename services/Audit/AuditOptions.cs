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
    /// How long the spool writer waits for more records after the first before it writes a
    /// segment (0 writes at once). Records wait in memory either way; a longer linger means fewer,
    /// larger segments: one file, one fsync and, downstream, one request per batch instead of per
    /// call (docs/telemetry.md, "Cost").
    /// </summary>
    public TimeSpan SpoolLinger { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest wait between delivery attempts while the collector is unreachable.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Tenants whose policy opts in to raw arguments in their trail; everyone else gets the digest only.</summary>
    public HashSet<string> RawArgumentsTenants { get; set; } = new(StringComparer.Ordinal);
}
