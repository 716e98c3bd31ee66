namespace McpPlatform.Knowledge.Store;

/// <summary>A stored document with its chunks in order.</summary>
/// <param name="Document">The document's fields.</param>
/// <param name="Chunks">The chunks, index 0 first.</param>
public sealed record StoredDocument(DocumentSummary Document, IReadOnlyList<StoredChunk> Chunks);
