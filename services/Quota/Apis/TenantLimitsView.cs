using McpPlatform.Quota.Engine;

namespace McpPlatform.Quota.Apis;

/// <summary>A tenant's limits: from configuration, the operator's override, and the result (null = unlimited).</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="Tier">Its tier.</param>
/// <param name="Configured">Tier merged with the configured tenant settings.</param>
/// <param name="Override">The operator's override, if any.</param>
/// <param name="Effective">What admission applies now.</param>
public sealed record TenantLimitsView(string TenantId, string Tier, QuotaLimits Configured, QuotaLimits? Override, QuotaLimits Effective);
