namespace McpPlatform.ToolsKnowledge.Models;

/// <summary>One search hit as the tools return (and the cache stores) it.</summary>
/// <param name="DocumentId">The document.</param>
/// <param name="Title">The document's title.</param>
/// <param name="ChunkIndex">The chunk's position in the document.</param>
/// <param name="Text">The chunk text.</param>
/// <param name="Score">Cosine similarity; higher is closer.</param>
/// <param name="SourceUrl">The document's source, if any.</param>
/// <param name="Metadata">The document's metadata.</param>
public sealed record KnowledgeHit(
    string DocumentId,
    string Title,
    int ChunkIndex,
    string Text,
    float Score,
    string? SourceUrl,
    Dictionary<string, string> Metadata);
