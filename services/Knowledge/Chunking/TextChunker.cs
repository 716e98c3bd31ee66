using System.Globalization;

namespace McpPlatform.Knowledge.Chunking;

/// <summary>
/// Cuts document text into overlapping chunks for embedding. A cut prefers a paragraph end,
/// then a sentence end, then any word end; it never falls inside a word of normal length, a
/// surrogate pair or a grapheme. The same text and options always give the same chunks.
/// Stateless and thread-safe.
/// </summary>
public sealed class TextChunker
{
    private readonly ChunkingOptions _options;

    /// <summary>Creates a chunker.</summary>
    /// <param name="options">Validated options.</param>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public TextChunker(ChunkingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid chunking options: " + string.Join(" ", problems), nameof(options));
        }

        _options = options;
    }

    /// <summary>The options in force.</summary>
    public ChunkingOptions Options => _options;

    /// <summary>Cuts <paramref name="text"/> into chunks.</summary>
    /// <param name="text">The document text.</param>
    /// <returns>At least one chunk, in document order.</returns>
    /// <exception cref="ArgumentException">The text is empty, only white space, too long, or not valid UTF-16.</exception>
    public IReadOnlyList<TextChunk> Chunk(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > _options.MaxTextCharacters)
        {
            throw new ArgumentException(
                $"Text is {text.Length:N0} characters; at most {_options.MaxTextCharacters:N0} can be chunked.", nameof(text));
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("Text is empty or only white space.", nameof(text));
        }

        if (IndexOfUnpairedSurrogate(text) is var bad and >= 0)
        {
            throw new ArgumentException($"Text is not valid UTF-16: an unpaired surrogate at offset {bad}.", nameof(text));
        }

        var words = FindWords(text);
        var chunks = new List<TextChunk>();
        var first = 0;
        while (true)
        {
            var end = ChooseEnd(words, first);
            var start = words[first].Start;
            var stop = words[end - 1].End;
            chunks.Add(new TextChunk(chunks.Count, text[start..stop], start, stop));
            if (end == words.Count)
            {
                return chunks;
            }

            first = ChooseNextStart(words, first, end);
        }
    }

    /// <summary>Exclusive index of the last word of the chunk that starts at word <paramref name="first"/>.</summary>
    private int ChooseEnd(List<Word> words, int first)
    {
        // The furthest the budget allows: at least one word, so every call makes progress.
        var limit = first + 1;
        while (limit < words.Count
            && limit - first < _options.MaxWords
            && words[limit].End - words[first].Start <= _options.MaxChunkCharacters)
        {
            limit++;
        }

        if (limit == words.Count)
        {
            return limit;
        }

        var target = Math.Min(first + _options.TargetWords, limit);
        // A chunk far shorter than the target is worse than a cut inside a paragraph.
        var earliest = first + Math.Max(1, _options.TargetWords / 2);
        return NearestBoundary(words, earliest, limit, target, Boundary.Paragraph)
            ?? NearestBoundary(words, earliest, limit, target, Boundary.Sentence)
            ?? target;
    }

    /// <summary>First word of the next chunk: about <see cref="ChunkingOptions.OverlapWords"/> back, at a sentence start if one is near.</summary>
    private int ChooseNextStart(List<Word> words, int first, int end)
    {
        var overlap = _options.OverlapWords;
        if (overlap == 0)
        {
            return end;
        }

        var slack = Math.Max(1, overlap / 2);
        var ideal = end - overlap;
        int? best = null;
        for (var candidate = Math.Max(first + 1, ideal - slack); candidate <= Math.Min(end - 1, ideal + slack); candidate++)
        {
            if (words[candidate - 1].After >= Boundary.Sentence
                && (best is null || Math.Abs(candidate - ideal) < Math.Abs(best.Value - ideal)))
            {
                best = candidate;
            }
        }

        return Math.Max(first + 1, best ?? ideal);
    }

    /// <summary>The exclusive end in [earliest, limit] after a boundary of at least <paramref name="kind"/>, nearest to target (later on a tie).</summary>
    private static int? NearestBoundary(List<Word> words, int earliest, int limit, int target, Boundary kind)
    {
        int? best = null;
        for (var end = Math.Max(earliest, 1); end <= limit; end++)
        {
            if (words[end - 1].After >= kind
                && (best is null || Math.Abs(end - target) <= Math.Abs(best.Value - target)))
            {
                best = end;
            }
        }

        return best;
    }

    private List<Word> FindWords(string text)
    {
        var words = new List<Word>();
        var position = 0;
        while (position < text.Length)
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            if (position == text.Length)
            {
                break;
            }

            var start = position;
            while (position < text.Length && !char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            AddWord(text, start, position, words);
        }

        // The boundary after a word is read from the gap to the next word.
        for (var i = 0; i < words.Count; i++)
        {
            var gapEnd = i + 1 < words.Count ? words[i + 1].Start : text.Length;
            var kind = i + 1 == words.Count || IsParagraphGap(text.AsSpan(words[i].End, gapEnd - words[i].End))
                ? Boundary.Paragraph
                : EndsSentence(text.AsSpan(words[i].Start, words[i].End - words[i].Start)) ? Boundary.Sentence : Boundary.Word;
            words[i] = words[i] with { After = kind };
        }

        return words;
    }

    /// <summary>Adds a run of non-space text, cut at grapheme boundaries when it is longer than a word may be.</summary>
    private void AddWord(string text, int start, int end, List<Word> words)
    {
        if (end - start <= _options.MaxWordCharacters)
        {
            words.Add(new Word(start, end, Boundary.Word));
            return;
        }

        var pieceStart = start;
        var position = start;
        while (position < end)
        {
            var element = StringInfo.GetNextTextElementLength(text.AsSpan(position, end - position));
            if (position + element - pieceStart > _options.MaxWordCharacters && position > pieceStart)
            {
                words.Add(new Word(pieceStart, position, Boundary.Word));
                pieceStart = position;
            }

            position += element;
        }

        words.Add(new Word(pieceStart, end, Boundary.Word));
    }

    private static bool IsParagraphGap(ReadOnlySpan<char> gap)
    {
        var newlines = 0;
        foreach (var c in gap)
        {
            if (c is '\u2029')
            {
                return true;
            }

            if (c is '\n' && ++newlines == 2)
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsSentence(ReadOnlySpan<char> word)
    {
        var trimmed = word.TrimEnd("\"')]}\u201D\u2019\u00BB");
        return trimmed.Length > 0 && trimmed[^1] is '.' or '!' or '?' or '\u2026' or '\u3002' or '\uFF01' or '\uFF1F';
    }

    private static int IndexOfUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private enum Boundary
    {
        Word = 0,
        Sentence = 1,
        Paragraph = 2,
    }

    private readonly record struct Word(int Start, int End, Boundary After);
}
