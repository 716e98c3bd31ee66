namespace McpPlatform.ToolsKnowledge.Models;

/// <summary>A document to ingest, as the tool received it.</summary>
/// <param name="Title">Display title, returned with every search hit.</param>
/// <param name="Text">The full text; chunked and embedded here.</param>
/// <param name="DocumentId">The idempotency key; derived from the title when absent.</param>
/// <param name="SourceUrl">Where the text came from (absolute http or https URL), optional.</param>
/// <param name="Metadata">Filterable key=value pairs, optional.</param>
public sealed record IngestRequest(
    string? Title,
    string? Text,
    string? DocumentId = null,
    string? SourceUrl = null,
    IReadOnlyDictionary<string, string>? Metadata = null);
