namespace McpPlatform.CollectorTenant.Store;

/// <summary>What a reader asks for: every filter optional, newest first, keyset paging.</summary>
public sealed record AuditQuery(
    string? PrincipalId = null,
    string? InvocationId = null,
    string? Tool = null,
    string? Outcome = null,
    string? Kind = null,
    string? TraceId = null,
    string? AuditPartition = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    AuditCursor? After = null,
    int Limit = 100);
