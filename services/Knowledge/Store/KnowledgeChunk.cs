namespace McpPlatform.Knowledge.Store;

/// <summary>One chunk of a document and its embedding.</summary>
/// <param name="Text">The chunk text (at most <see cref="VectorStoreLimits.MaxChunkTextBytes"/> UTF-8 bytes).</param>
/// <param name="Vector">The embedding; <see cref="IVectorStore.Dimensions"/> finite values, not all zero.</param>
public sealed record KnowledgeChunk(string Text, ReadOnlyMemory<float> Vector);
