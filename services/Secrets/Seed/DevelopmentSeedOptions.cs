namespace McpPlatform.Secrets.Seed;

/// <summary>The Development seed's input (configuration section <c>Seed</c>), filled by the AppHost from its parameters.</summary>
public sealed class DevelopmentSeedOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Seed";

    /// <summary>Each demo tenant's API key at <c>partner</c>, by tenant id (parameters <c>partner-contoso-key</c>, <c>partner-fabrikam-key</c>).</summary>
    public Dictionary<string, string> PartnerKeys { get; set; } = new(StringComparer.Ordinal);
}
