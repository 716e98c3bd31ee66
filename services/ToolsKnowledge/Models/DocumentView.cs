namespace McpPlatform.ToolsKnowledge.Models;

/// <summary>A document without its text.</summary>
/// <param name="DocumentId">The id.</param>
/// <param name="Title">The title.</param>
/// <param name="SourceUrl">The source, if any.</param>
/// <param name="Metadata">The metadata.</param>
/// <param name="ContentHash">SHA-256 of the ingested content.</param>
/// <param name="Chunks">Number of chunks.</param>
/// <param name="UpdatedAt">When this version was stored.</param>
public sealed record DocumentView(
    string DocumentId,
    string Title,
    string? SourceUrl,
    IReadOnlyDictionary<string, string> Metadata,
    string? ContentHash,
    int Chunks,
    DateTimeOffset UpdatedAt);
