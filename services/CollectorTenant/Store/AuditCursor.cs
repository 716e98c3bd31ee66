namespace McpPlatform.CollectorTenant.Store;

/// <summary>Position after the last record of a page (its time and id).</summary>
public sealed record AuditCursor(DateTimeOffset OccurredAt, Guid Id);
