namespace McpPlatform.Quota.Engine;

/// <summary>
/// Limits; null means "inherit" in an override and "unlimited" in a tier, and -1 means
/// "unlimited" explicitly (so an override can lift a tier's limit).
/// </summary>
public class QuotaLimits
{
    /// <summary>Calls in flight per quota partition.</summary>
    public int? TenantConcurrency { get; set; }

    /// <summary>Calls in flight per principal.</summary>
    public int? PrincipalConcurrency { get; set; }

    /// <summary>Sustained calls per second per quota partition (token bucket refill).</summary>
    public double? TenantRatePerSecond { get; set; }

    /// <summary>Burst per quota partition (bucket size); defaults to the rate rounded up.</summary>
    public int? TenantRateBurst { get; set; }

    /// <summary>Sustained calls per second per principal.</summary>
    public double? PrincipalRatePerSecond { get; set; }

    /// <summary>Burst per principal.</summary>
    public int? PrincipalRateBurst { get; set; }

    /// <summary>Tokens per UTC hour per quota partition.</summary>
    public long? TokensPerHour { get; set; }

    /// <summary>Tokens per UTC day per quota partition.</summary>
    public long? TokensPerDay { get; set; }

    /// <summary>Cost per UTC hour per quota partition.</summary>
    public decimal? CostPerHour { get; set; }

    /// <summary>Cost per UTC day per quota partition.</summary>
    public decimal? CostPerDay { get; set; }

    /// <summary>Seconds after which an unreleased lease's slot returns by itself (default 120).</summary>
    public int? LeaseTtlSeconds { get; set; }

    /// <summary>Admit without checks when quota state is unreachable (default false: fail closed).</summary>
    public bool? FailOpen { get; set; }

    /// <summary>What is wrong with these limits, or null.</summary>
    /// <returns>A message naming the first problem.</returns>
    public string? Problem()
    {
        static bool Bad(decimal? value) => value is { } v && v < 0 && v != -1;
        if (Bad(TenantConcurrency) || Bad(PrincipalConcurrency) || Bad(TokensPerHour) || Bad(TokensPerDay) || Bad(CostPerHour) || Bad(CostPerDay))
        {
            return "limits must be 0 or more, or -1 for unlimited.";
        }

        if (TenantRatePerSecond is { } tr && tr <= 0 && tr != -1 || PrincipalRatePerSecond is { } pr && pr <= 0 && pr != -1)
        {
            return "rates must be more than 0 per second, or -1 for unlimited.";
        }

        if (TenantRateBurst is < 1 || PrincipalRateBurst is < 1)
        {
            return "bursts must be 1 or more.";
        }

        return LeaseTtlSeconds is < 1 or > 86_400 ? "LeaseTtlSeconds must be 1-86400." : null;
    }

    /// <summary>A copy with every value of <paramref name="over"/> that is set replacing this one's.</summary>
    /// <param name="over">The more specific limits.</param>
    /// <returns>The merged limits.</returns>
    public QuotaLimits Overlay(QuotaLimits? over) => over is null ? Copy() : new QuotaLimits
    {
        TenantConcurrency = over.TenantConcurrency ?? TenantConcurrency,
        PrincipalConcurrency = over.PrincipalConcurrency ?? PrincipalConcurrency,
        TenantRatePerSecond = over.TenantRatePerSecond ?? TenantRatePerSecond,
        TenantRateBurst = over.TenantRateBurst ?? TenantRateBurst,
        PrincipalRatePerSecond = over.PrincipalRatePerSecond ?? PrincipalRatePerSecond,
        PrincipalRateBurst = over.PrincipalRateBurst ?? PrincipalRateBurst,
        TokensPerHour = over.TokensPerHour ?? TokensPerHour,
        TokensPerDay = over.TokensPerDay ?? TokensPerDay,
        CostPerHour = over.CostPerHour ?? CostPerHour,
        CostPerDay = over.CostPerDay ?? CostPerDay,
        LeaseTtlSeconds = over.LeaseTtlSeconds ?? LeaseTtlSeconds,
        FailOpen = over.FailOpen ?? FailOpen,
    };

    private QuotaLimits Copy() => new QuotaLimits().Overlay(this);
}
