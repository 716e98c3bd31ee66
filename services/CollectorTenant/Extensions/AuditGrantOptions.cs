namespace McpPlatform.CollectorTenant.Extensions;

/// <summary>Operator access grants (configuration section <c>AuditGrants</c>).</summary>
public sealed class AuditGrantOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "AuditGrants";

    /// <summary>Longest grant an operator may ask for.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Approval by policy instead of a second operator.</summary>
    public PolicyApprovalOptions PolicyApproval { get; set; } = new();
}
