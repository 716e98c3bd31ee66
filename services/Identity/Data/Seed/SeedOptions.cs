namespace McpPlatform.Identity.Data.Seed;

/// <summary>
/// Demo-data secrets (configuration section <c>Seed</c>), filled by the AppHost from its parameters.
/// Seeding runs in Development or when <see cref="Enabled"/> is true.
/// </summary>
public sealed class SeedOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Seed";

    /// <summary>Seeds outside Development too (never do this with real users).</summary>
    public bool Enabled { get; set; }

    public string? ContosoAgentSecret { get; set; }

    public string? FabrikamAgentSecret { get; set; }

    public string? ContosoUserPassword { get; set; }

    public string? FabrikamUserPassword { get; set; }

    public string? OperatorPassword { get; set; }

    public string? ToolsKnowledgeClientSecret { get; set; }

    public string? ToolsWorkspaceClientSecret { get; set; }

    /// <summary>Secret of identity's own client (audit delivery to collector-tenant).</summary>
    public string? IdentityClientSecret { get; set; }

    /// <summary>Secret of the secrets service's own client (audit delivery to collector-tenant).</summary>
    public string? SecretsClientSecret { get; set; }
}
