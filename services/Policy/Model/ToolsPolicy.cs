namespace McpPlatform.Policy.Model;

/// <summary>Allowed tools, by tier or tenant, then by server resource name ('*' = every tool of the server).</summary>
public sealed class ToolsPolicy
{
    /// <summary>By tier name.</summary>
    public Dictionary<string, Dictionary<string, List<string>>> Tiers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>By tenant id; a server listed replaces the tier's list for that server.</summary>
    public Dictionary<string, Dictionary<string, List<string>>> Tenants { get; set; } = new(StringComparer.Ordinal);
}
