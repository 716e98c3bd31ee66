namespace McpPlatform.CollectorTenant.Extensions;

/// <summary>One tenant's retention and content policy.</summary>
public sealed class TenantAuditPolicy
{
    /// <summary>Records older than this are deleted.</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>Most records kept; the oldest beyond it are deleted.</summary>
    public long MaxRows { get; set; } = 1_000_000;

    /// <summary>Most bytes of records kept (as received); the oldest beyond it are deleted.</summary>
    public long MaxBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Whether raw tool arguments are kept; when false the collector strips them even if a server sent them.</summary>
    public bool RawArguments { get; set; }
}
