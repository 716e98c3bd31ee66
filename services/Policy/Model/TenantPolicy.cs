namespace McpPlatform.Policy.Model;

/// <summary>One tenant's entry: a display name, its tier and limits that replace the tier's.</summary>
public sealed class TenantPolicy
{
    /// <summary>For readers of the document only; never matched against anything.</summary>
    public string? Name { get; set; }

    /// <summary>The tier; null for the default tier.</summary>
    public string? Tier { get; set; }

    /// <summary>Limits that replace the tier's; null keeps the tier's.</summary>
    public PolicyLimits? Limits { get; set; }
}
