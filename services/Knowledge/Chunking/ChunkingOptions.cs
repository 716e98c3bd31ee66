namespace McpPlatform.Knowledge.Chunking;

/// <summary>
/// How documents are cut into chunks (configuration section <c>Knowledge:Chunking</c>).
/// The defaults suit all-MiniLM-L6-v2, whose window is 256 word-pieces: English prose runs at
/// about 1.4 word-pieces per word once punctuation counts as its own piece, so 160 words stay
/// below the window and 128 leave room for long words.
/// </summary>
public sealed class ChunkingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Knowledge:Chunking";

    /// <summary>Upper bound of <see cref="MaxWords"/>: beyond it a chunk no longer fits any small embedding model.</summary>
    public const int MaxWordsLimit = 1_000;

    /// <summary>Words a chunk aims for; the cut moves to a nearby paragraph or sentence end.</summary>
    public int TargetWords { get; set; } = 128;

    /// <summary>Words a chunk never exceeds.</summary>
    public int MaxWords { get; set; } = 160;

    /// <summary>Words repeated from the end of one chunk at the start of the next (about 20%).</summary>
    public int OverlapWords { get; set; } = 26;

    /// <summary>Characters a chunk never exceeds (guards against text of very long words).</summary>
    public int MaxChunkCharacters { get; set; } = 1_200;

    /// <summary>A run of non-space characters longer than this is cut (at a grapheme boundary) into several words.</summary>
    public int MaxWordCharacters { get; set; } = 100;

    /// <summary>Longest text accepted, in UTF-16 code units; the tools layer sets its own, smaller, document limit.</summary>
    public int MaxTextCharacters { get; set; } = 8_000_000;

    /// <summary>Checks the options are consistent.</summary>
    /// <returns>A list of problems; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxWords is < 8 or > MaxWordsLimit)
        {
            problems.Add($"{nameof(MaxWords)} must be between 8 and {MaxWordsLimit}.");
        }

        if (TargetWords < 4 || TargetWords > MaxWords)
        {
            problems.Add($"{nameof(TargetWords)} must be at least 4 and at most {nameof(MaxWords)}.");
        }

        if (OverlapWords < 0 || OverlapWords > TargetWords / 2)
        {
            problems.Add($"{nameof(OverlapWords)} must be between 0 and half of {nameof(TargetWords)}.");
        }

        if (MaxWordCharacters < 8)
        {
            problems.Add($"{nameof(MaxWordCharacters)} must be at least 8.");
        }

        if (MaxChunkCharacters < MaxWordCharacters * 2)
        {
            problems.Add($"{nameof(MaxChunkCharacters)} must be at least twice {nameof(MaxWordCharacters)}.");
        }

        if (MaxTextCharacters < 1)
        {
            problems.Add($"{nameof(MaxTextCharacters)} must be positive.");
        }

        return problems;
    }
}
