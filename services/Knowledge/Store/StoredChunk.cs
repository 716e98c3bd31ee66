namespace McpPlatform.Knowledge.Store;

/// <summary>A stored chunk.</summary>
/// <param name="Index">Position in the document, from 0.</param>
/// <param name="Text">The chunk text.</param>
/// <param name="Vector">The normalised vector when requested (export), else empty.</param>
public sealed record StoredChunk(int Index, string Text, ReadOnlyMemory<float> Vector);
