namespace McpPlatform.ToolsKnowledge.Services;

/// <summary>What identifies a cached search within a tenant.</summary>
/// <param name="Q">Normalised query.</param>
/// <param name="K">topK.</param>
/// <param name="F">Filter pairs.</param>
internal sealed record SearchKey(string Q, int K, List<string[]> F);
