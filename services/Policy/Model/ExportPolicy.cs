namespace McpPlatform.Policy.Model;

/// <summary>Who may export a tenant's knowledge.</summary>
public sealed class ExportPolicy
{
    /// <summary>Principal types that may export (<c>agent</c>, <c>user</c>); empty allows nobody.</summary>
    public List<string> PrincipalTypes { get; set; } = [];
}
