namespace McpPlatform.Quota.Engine;

/// <summary>One tenant's policy: its tier and limits that replace the tier's.</summary>
public sealed class TenantQuotaPolicy : QuotaLimits
{
    /// <summary>The tier; null for the default tier.</summary>
    public string? Tier { get; set; }
}
