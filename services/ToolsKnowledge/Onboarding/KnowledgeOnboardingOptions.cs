namespace McpPlatform.ToolsKnowledge.Onboarding;

/// <summary>Settings of the onboarding step (section <c>Knowledge:Onboarding</c>).</summary>
public sealed class KnowledgeOnboardingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Knowledge:Onboarding";

    /// <summary>Data partitions to provision at start (Qdrant collections; embedded folders are created on first use anyway).</summary>
    public List<string> Partitions { get; set; } = [];

    /// <summary>Provision the demo tenants and seed the demo corpus (<c>Seed:Enabled</c>, Development only).</summary>
    public bool SeedDemoCorpus { get; set; }
}
