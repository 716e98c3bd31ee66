using McpPlatform.Core;

namespace McpPlatform.CollectorTenant.Store;

/// <summary>One page of records and where the next starts.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, AuditCursor? Next);
