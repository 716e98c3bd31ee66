namespace McpPlatform.McpServer.Quota;

/// <summary>Server-side pacing of repeated denials (configuration section <c>Mcp:DenialPacing</c>).</summary>
public sealed class DenialPacingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Mcp:DenialPacing";

    /// <summary>On by default; off answers every denial at once.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The longest a denial is held. Zero turns pacing off; at most 10 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many principals are followed at once; beyond it new ones are not paced.</summary>
    public int MaxTrackedPrincipals { get; set; } = 100_000;
}
