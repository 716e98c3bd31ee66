namespace McpPlatform.Quota.Engine;

/// <summary>
/// The quota policy, the engine's input (docs/quotas.md): tiers of limits, per-tenant overrides,
/// and the tools admission accepts. The quota service maps it from the platform policy document
/// (docs/policy.md) and reloads it without restart; followers receive it through Redis.
/// </summary>
public sealed class QuotaPolicyOptions
{
    /// <summary>The tier of tenants that name none.</summary>
    public string DefaultTier { get; set; } = "standard";

    /// <summary>Named sets of limits; a limit left out of a tier is unlimited.</summary>
    public Dictionary<string, QuotaLimits> Tiers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per-tenant settings by tenant id: a tier and limits that replace the tier's.</summary>
    public Dictionary<string, TenantQuotaPolicy> Tenants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Tool names admission accepts; empty accepts any well-formed name.</summary>
    public List<string> Tools { get; set; } = [];

    /// <summary>Largest token estimate or actual a single call may state.</summary>
    public long MaxTokensPerCall { get; set; } = 10_000_000;

    /// <summary>Largest cost estimate or actual a single call may state.</summary>
    public decimal MaxCostPerCall { get; set; } = 10_000m;

    /// <summary>What is wrong with this policy, or null when it can be applied.</summary>
    /// <returns>A message naming the first problem.</returns>
    public string? Problem()
    {
        if (!Tiers.ContainsKey(DefaultTier))
        {
            return $"QuotaPolicy:DefaultTier '{DefaultTier}' names no tier in QuotaPolicy:Tiers.";
        }

        foreach (var (name, tier) in Tiers)
        {
            if (tier.Problem() is { } problem)
            {
                return $"QuotaPolicy:Tiers:{name}: {problem}";
            }
        }

        foreach (var (tenant, policy) in Tenants)
        {
            if (policy.Tier is { } tier && !Tiers.ContainsKey(tier))
            {
                return $"QuotaPolicy:Tenants:{tenant}:Tier '{tier}' names no tier.";
            }

            if (policy.Problem() is { } problem)
            {
                return $"QuotaPolicy:Tenants:{tenant}: {problem}";
            }
        }

        return MaxTokensPerCall <= 0 || MaxCostPerCall <= 0 ? "MaxTokensPerCall and MaxCostPerCall must be positive." : null;
    }
}
