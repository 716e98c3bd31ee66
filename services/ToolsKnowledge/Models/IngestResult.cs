using System.ComponentModel;

namespace McpPlatform.ToolsKnowledge.Models;

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
