namespace McpPlatform.ToolsKnowledge.Models;

/// <summary>A search's answer.</summary>
/// <param name="Query">The query as searched (white space collapsed).</param>
/// <param name="Hits">Best first.</param>
/// <param name="Cached">True when served from this tenant's search cache (no embedding, no store search).</param>
/// <param name="EmbeddingTokens">Embedding tokens this call used (0 on a cache hit).</param>
public sealed record SearchResult(string Query, IReadOnlyList<KnowledgeHit> Hits, bool Cached, long EmbeddingTokens);
