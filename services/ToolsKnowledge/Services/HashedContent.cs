namespace McpPlatform.ToolsKnowledge.Services;

/// <summary>The canonical form hashed into a document's content hash.</summary>
internal sealed record HashedContent(string Title, string Text, string? SourceUrl, List<string[]> Metadata);
