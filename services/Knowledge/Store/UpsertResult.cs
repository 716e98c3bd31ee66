namespace McpPlatform.Knowledge.Store;

/// <summary>The outcome of an upsert.</summary>
/// <param name="Document">The stored document.</param>
/// <param name="Replaced">True when a document with that id existed and was replaced.</param>
public sealed record UpsertResult(DocumentSummary Document, bool Replaced);
