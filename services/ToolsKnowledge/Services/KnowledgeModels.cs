using System.ComponentModel;

namespace McpPlatform.ToolsKnowledge.Services;

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

/// <summary>What an ingest did.</summary>
/// <param name="DocumentId">The document's id (the key to get, delete or re-ingest it).</param>
/// <param name="Title">The title.</param>
/// <param name="Chunks">Chunks stored.</param>
/// <param name="Replaced">True when an earlier version with this id was replaced.</param>
/// <param name="Unchanged">True when the same content was already stored: nothing was embedded or written.</param>
/// <param name="EmbeddingTokens">Embedding tokens this ingest used (0 when unchanged).</param>
/// <param name="ContentHash">SHA-256 of the ingested content (title, text, source, metadata).</param>
public sealed record IngestResult(
    [property: Description("The document's id: pass it to get_document, delete_document, or ingest_document again to replace it.")] string DocumentId,
    [property: Description("The title.")] string Title,
    [property: Description("How many chunks were stored.")] int Chunks,
    [property: Description("True when an earlier version with this id was replaced.")] bool Replaced,
    [property: Description("True when identical content was already stored; nothing was re-embedded.")] bool Unchanged,
    [property: Description("Embedding tokens this call used.")] long EmbeddingTokens,
    [property: Description("SHA-256 of the content.")] string ContentHash);

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

/// <summary>A search's answer.</summary>
/// <param name="Query">The query as searched (white space collapsed).</param>
/// <param name="Hits">Best first.</param>
/// <param name="Cached">True when served from this tenant's search cache (no embedding, no store search).</param>
/// <param name="EmbeddingTokens">Embedding tokens this call used (0 on a cache hit).</param>
public sealed record SearchResult(string Query, IReadOnlyList<KnowledgeHit> Hits, bool Cached, long EmbeddingTokens);

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

/// <summary>A page of documents.</summary>
/// <param name="Documents">This page.</param>
/// <param name="NextCursor">Pass it back for the next page; null at the end.</param>
public sealed record DocumentListResult(IReadOnlyList<DocumentView> Documents, string? NextCursor);

/// <summary>A document with its chunk texts.</summary>
/// <param name="Document">The document's fields.</param>
/// <param name="Chunks">The chunk texts in order (neighbouring chunks overlap by a few words).</param>
public sealed record DocumentContent(DocumentView Document, IReadOnlyList<string> Chunks);

/// <summary>A tenant's exported knowledge.</summary>
/// <param name="ExportedAt">When the export was read.</param>
/// <param name="DocumentCount">Documents in it.</param>
/// <param name="Documents">Every document with its chunk texts.</param>
public sealed record KnowledgeExport(DateTimeOffset ExportedAt, int DocumentCount, IReadOnlyList<DocumentContent> Documents);
