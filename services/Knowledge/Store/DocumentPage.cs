namespace McpPlatform.Knowledge.Store;

/// <summary>A page of documents.</summary>
/// <param name="Documents">The documents of this page.</param>
/// <param name="NextCursor">Opaque cursor of the next page, null when this is the last.</param>
public sealed record DocumentPage(IReadOnlyList<DocumentSummary> Documents, string? NextCursor);
