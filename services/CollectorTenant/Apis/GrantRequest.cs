namespace McpPlatform.CollectorTenant.Apis;

/// <summary>An operator's request for access to one tenant's records linked to one platform trace.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="Reason">Why (10-1000 characters); the tenant reads it in its trail.</param>
/// <param name="TraceId">The platform trace id (32 lowercase hex) under investigation.</param>
/// <param name="DurationSeconds">How long the grant lasts once approved.</param>
public sealed record GrantRequest(string? TenantId, string? Reason, string? TraceId, int DurationSeconds);
