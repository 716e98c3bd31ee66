namespace McpPlatform.CollectorTenant.Extensions;

/// <summary>When a grant is approved without a second operator.</summary>
public sealed class PolicyApprovalOptions
{
    /// <summary>Off by default: a second operator approves.</summary>
    public bool Enabled { get; set; }

    /// <summary>Grants up to this long are approved by policy when <see cref="Enabled"/>.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(15);
}
