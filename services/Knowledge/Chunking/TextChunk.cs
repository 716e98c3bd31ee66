namespace McpPlatform.Knowledge.Chunking;

/// <summary>One piece of a document.</summary>
/// <param name="Index">Position among the document's chunks, from 0.</param>
/// <param name="Text">The chunk's text, exactly <c>text[Start..End]</c> of the document.</param>
/// <param name="Start">Offset of the first character in the document (UTF-16 code units).</param>
/// <param name="End">Offset just past the last character (UTF-16 code units).</param>
public sealed record TextChunk(int Index, string Text, int Start, int End)
{
    /// <summary>Length in UTF-16 code units.</summary>
    public int Length => End - Start;
}
