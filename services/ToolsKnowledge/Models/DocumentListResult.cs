namespace McpPlatform.ToolsKnowledge.Models;

/// <summary>A page of documents.</summary>
/// <param name="Documents">This page.</param>
/// <param name="NextCursor">Pass it back for the next page; null at the end.</param>
public sealed record DocumentListResult(IReadOnlyList<DocumentView> Documents, string? NextCursor);
