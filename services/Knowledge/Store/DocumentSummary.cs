namespace McpPlatform.Knowledge.Store;

/// <summary>A stored document without its chunk texts.</summary>
/// <param name="DocumentId">The document id.</param>
/// <param name="Title">The title.</param>
/// <param name="SourceUrl">The source URL, if any.</param>
/// <param name="Metadata">The metadata (empty when none).</param>
/// <param name="ContentHash">The caller's content hash, if any.</param>
/// <param name="ChunkCount">Number of chunks.</param>
/// <param name="UpdatedAt">When this version was stored.</param>
public sealed record DocumentSummary(
    string DocumentId,
    string Title,
    string? SourceUrl,
    IReadOnlyDictionary<string, string> Metadata,
    string? ContentHash,
    int ChunkCount,
    DateTimeOffset UpdatedAt);
