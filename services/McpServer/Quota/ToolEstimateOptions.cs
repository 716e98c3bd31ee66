using McpPlatform.Core.Quota;

namespace McpPlatform.McpServer.Quota;

/// <summary>Per-tool usage estimates reserved at admission (configuration section <c>Quota:Estimates</c>).</summary>
public sealed class ToolEstimateOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Quota:Estimates";

    /// <summary>The estimate for tools without their own entry.</summary>
    public QuotaUsage Default { get; set; } = new(100, 0m);

    /// <summary>Estimates by tool name.</summary>
    public Dictionary<string, QuotaUsage> Tools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The estimate for a tool.</summary>
    public QuotaUsage For(string tool) => Tools.TryGetValue(tool, out var estimate) ? estimate : Default;
}
