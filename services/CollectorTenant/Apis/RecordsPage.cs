using McpPlatform.Core;

namespace McpPlatform.CollectorTenant.Apis;

/// <summary>A page of a tenant's trail.</summary>
/// <param name="Records">Newest first.</param>
/// <param name="Next">Pass as <c>cursor</c> for the next page; null on the last.</param>
public sealed record RecordsPage(IReadOnlyList<AuditRecord> Records, string? Next);
