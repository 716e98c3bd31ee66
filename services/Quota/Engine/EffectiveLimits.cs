namespace McpPlatform.Quota.Engine;

/// <summary>
/// The limits one admission applies, with every value resolved: -1 means unlimited, costs are
/// in micro-units (1e-6) so Redis can add them exactly as integers.
/// </summary>
public sealed record EffectiveLimits(
    string Tier,
    long TenantConcurrency,
    long PrincipalConcurrency,
    double TenantRatePerSecond,
    long TenantRateBurst,
    double PrincipalRatePerSecond,
    long PrincipalRateBurst,
    long TokensPerHour,
    long TokensPerDay,
    long CostPerHourMicros,
    long CostPerDayMicros,
    int LeaseTtlSeconds,
    bool FailOpen)
{
    /// <summary>Lease lifetime when neither tier nor tenant sets one.</summary>
    public const int DefaultLeaseTtlSeconds = 120;

    /// <summary>Resolves merged limits.</summary>
    /// <param name="tier">The tier's name.</param>
    /// <param name="limits">Tier, then tenant configuration, then the operator's override, merged.</param>
    /// <returns>The effective limits.</returns>
    public static EffectiveLimits From(string tier, QuotaLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var tenantRate = limits.TenantRatePerSecond ?? -1;
        var principalRate = limits.PrincipalRatePerSecond ?? -1;
        return new EffectiveLimits(
            tier,
            limits.TenantConcurrency ?? -1,
            limits.PrincipalConcurrency ?? -1,
            tenantRate,
            limits.TenantRateBurst ?? DefaultBurst(tenantRate),
            principalRate,
            limits.PrincipalRateBurst ?? DefaultBurst(principalRate),
            limits.TokensPerHour ?? -1,
            limits.TokensPerDay ?? -1,
            QuotaUnits.ToMicros(limits.CostPerHour ?? -1),
            QuotaUnits.ToMicros(limits.CostPerDay ?? -1),
            limits.LeaseTtlSeconds ?? DefaultLeaseTtlSeconds,
            limits.FailOpen ?? false);
    }

    private static long DefaultBurst(double rate) => rate <= 0 ? 1 : (long)Math.Max(1, Math.Ceiling(rate));
}
