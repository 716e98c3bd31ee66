namespace McpPlatform.ToolsKnowledge.Models;

/// <summary>A document with its chunk texts.</summary>
/// <param name="Document">The document's fields.</param>
/// <param name="Chunks">The chunk texts in order (neighbouring chunks overlap by a few words).</param>
public sealed record DocumentContent(DocumentView Document, IReadOnlyList<string> Chunks);
