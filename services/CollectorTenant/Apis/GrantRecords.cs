using McpPlatform.CollectorTenant.Store;
using McpPlatform.Core;

namespace McpPlatform.CollectorTenant.Apis;

/// <summary>The records a grant shows, with the grant.</summary>
/// <param name="Grant">The grant used.</param>
/// <param name="Records">The tenant's tool-call records with the grant's trace id.</param>
public sealed record GrantRecords(AuditGrant Grant, IReadOnlyList<AuditRecord> Records);
