using McpPlatform.Core;
using McpPlatform.Policy.Model;
using McpPlatform.Quota.Engine;

namespace McpPlatform.Quota.PolicyDocument;

/// <summary>
/// The engine's input (<see cref="QuotaPolicyOptions"/>) from the platform policy document's
/// <c>defaultTier</c>, <c>tiers</c>, <c>tenants</c> and <c>perCall</c>. Admission accepts the tool
/// names some MCP server registers (<see cref="PlatformToolInventory"/>).
/// </summary>
internal static class QuotaPolicyMapping
{
    public static void Apply(PlatformPolicy policy, QuotaPolicyOptions options)
    {
        options.DefaultTier = policy.DefaultTier;
        options.Tiers = policy.Tiers.ToDictionary(tier => tier.Key, tier => Copy(tier.Value, new QuotaLimits()), StringComparer.Ordinal);
        options.Tenants = policy.Tenants.ToDictionary(
            tenant => tenant.Key,
            tenant => Copy(tenant.Value.Limits, new TenantQuotaPolicy { Tier = tenant.Value.Tier }),
            StringComparer.Ordinal);
        options.Tools = [.. PlatformToolInventory.AllTools];
        var defaults = new QuotaPolicyOptions();
        options.MaxTokensPerCall = policy.PerCall?.MaxTokens ?? defaults.MaxTokensPerCall;
        options.MaxCostPerCall = policy.PerCall?.MaxCost ?? defaults.MaxCostPerCall;
    }

    public static QuotaPolicyOptions ToOptions(PlatformPolicy policy)
    {
        var options = new QuotaPolicyOptions();
        Apply(policy, options);
        return options;
    }

    private static T Copy<T>(PolicyLimits? from, T to)
        where T : QuotaLimits
    {
        if (from is null)
        {
            return to;
        }

        to.TenantConcurrency = from.TenantConcurrency;
        to.PrincipalConcurrency = from.PrincipalConcurrency;
        to.TenantRatePerSecond = from.TenantRatePerSecond;
        to.TenantRateBurst = from.TenantRateBurst;
        to.PrincipalRatePerSecond = from.PrincipalRatePerSecond;
        to.PrincipalRateBurst = from.PrincipalRateBurst;
        to.TokensPerHour = from.TokensPerHour;
        to.TokensPerDay = from.TokensPerDay;
        to.CostPerHour = from.CostPerHour;
        to.CostPerDay = from.CostPerDay;
        to.LeaseTtlSeconds = from.LeaseTtlSeconds;
        to.FailOpen = from.FailOpen;
        return to;
    }
}
