namespace McpPlatform.Quota.Engine;

/// <summary>One recorded change of a tenant's limits: who, when, old → new.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="ChangedBy">The operator's subject.</param>
/// <param name="ChangedAt">When.</param>
/// <param name="Old">The override before (null: none).</param>
/// <param name="New">The override after (null: removed).</param>
public sealed record LimitChange(string TenantId, string ChangedBy, DateTimeOffset ChangedAt, QuotaLimits? Old, QuotaLimits? New);
