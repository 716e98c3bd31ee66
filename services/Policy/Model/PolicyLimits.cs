namespace McpPlatform.Policy.Model;

/// <summary>
/// Quota limits as the document states them (docs/quotas.md): null means unlimited in a tier and
/// inherited in a tenant, -1 unlimited explicitly, 0 nothing.
/// </summary>
public sealed class PolicyLimits
{
    /// <summary>Calls in flight per quota partition.</summary>
    public int? TenantConcurrency { get; set; }

    /// <summary>Calls in flight per principal.</summary>
    public int? PrincipalConcurrency { get; set; }

    /// <summary>Sustained calls per second per quota partition.</summary>
    public double? TenantRatePerSecond { get; set; }

    /// <summary>Burst per quota partition.</summary>
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

    /// <summary>Seconds after which an unreleased lease's slot returns.</summary>
    public int? LeaseTtlSeconds { get; set; }

    /// <summary>Admit without checks when quota state is unreachable.</summary>
    public bool? FailOpen { get; set; }
}
