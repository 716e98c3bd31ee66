namespace McpPlatform.Knowledge.Store;

/// <summary>One search result.</summary>
/// <param name="DocumentId">The document the chunk belongs to.</param>
/// <param name="Title">The document's title.</param>
/// <param name="ChunkIndex">The chunk's position in the document.</param>
/// <param name="Text">The chunk text.</param>
/// <param name="Score">Cosine similarity in [-1, 1]; higher is closer.</param>
/// <param name="SourceUrl">The document's source URL, if any.</param>
/// <param name="Metadata">The document's metadata.</param>
public sealed record VectorSearchHit(
    string DocumentId,
    string Title,
    int ChunkIndex,
    string Text,
    float Score,
    string? SourceUrl,
    IReadOnlyDictionary<string, string> Metadata);
