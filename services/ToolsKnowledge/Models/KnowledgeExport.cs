namespace McpPlatform.ToolsKnowledge.Models;

/// <summary>A tenant's exported knowledge.</summary>
/// <param name="ExportedAt">When the export was read.</param>
/// <param name="DocumentCount">Documents in it.</param>
/// <param name="Documents">Every document with its chunk texts.</param>
public sealed record KnowledgeExport(DateTimeOffset ExportedAt, int DocumentCount, IReadOnlyList<DocumentContent> Documents);
