using System.Text;
using McpPlatform.Knowledge.Chunking;

namespace McpPlatform.Knowledge.Tests.Chunking;

public sealed class TextChunkerTests
{
    private static readonly TextChunker Chunker = new(new ChunkingOptions());

    [Fact]
    public void Chunk_ShortText_OneChunkWithoutSurroundingSpace()
    {
        var text = "  \n Vector stores keep embeddings per tenant.  \n";

        var chunks = Chunker.Chunk(text);

        chunks.Count.ShouldBe(1);
        chunks[0].ShouldBe(new TextChunk(0, "Vector stores keep embeddings per tenant.", 4, 45));
        text[chunks[0].Start..chunks[0].End].ShouldBe(chunks[0].Text);
    }

    [Fact]
    public void Chunk_LongProse_EveryChunkWithinBudgetOverlappingAndCoveringAllWords()
    {
        var text = Prose(sentences: 300, seed: 7);
        var options = Chunker.Options;

        var chunks = Chunker.Chunk(text);

        chunks.Count.ShouldBeGreaterThan(10);
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            chunk.Index.ShouldBe(i);
            chunk.Text.ShouldBe(text[chunk.Start..chunk.End]);
            chunk.Text.ShouldBe(chunk.Text.Trim());
            WordCount(chunk.Text).ShouldBeLessThanOrEqualTo(options.MaxWords);
            chunk.Length.ShouldBeLessThanOrEqualTo(options.MaxChunkCharacters);
            if (i > 0)
            {
                chunk.Start.ShouldBeGreaterThan(chunks[i - 1].Start);
                chunk.Start.ShouldBeLessThan(chunks[i - 1].End, "consecutive chunks overlap");
                var shared = WordCount(text[chunk.Start..chunks[i - 1].End]);
                shared.ShouldBeInRange(options.OverlapWords / 2, options.OverlapWords * 3 / 2);
            }
        }

        chunks[0].Start.ShouldBe(0);
        chunks[^1].End.ShouldBe(text.TrimEnd().Length);
    }

    [Fact]
    public void Chunk_Paragraphs_CutsAtTheParagraphEndNearestTheTarget()
    {
        // Paragraph ends after words 60, 120, 180, …: with a 128-word target the first cut is at 120.
        var paragraphs = Enumerable.Range(0, 6).Select(p => Words(60, $"p{p}w")).ToArray();
        var text = string.Join("\n\n", paragraphs);

        var chunks = Chunker.Chunk(text);

        chunks[0].Text.ShouldBe(paragraphs[0] + "\n\n" + paragraphs[1]);
        foreach (var chunk in chunks.SkipLast(1))
        {
            chunk.End.ShouldBeLessThan(text.Length);
            text.AsSpan(chunk.End).StartsWith("\n\n").ShouldBeTrue($"chunk {chunk.Index} ends at a paragraph break");
        }
    }

    [Fact]
    public void Chunk_WindowsLineEndings_RecognisesParagraphs()
    {
        var paragraphs = Enumerable.Range(0, 4).Select(p => Words(60, $"p{p}w")).ToArray();
        var text = string.Join("\r\n\r\n", paragraphs);

        var chunks = Chunker.Chunk(text);

        chunks[0].Text.ShouldBe(paragraphs[0] + "\r\n\r\n" + paragraphs[1]);
    }

    [Fact]
    public void Chunk_SentencesWithoutParagraphs_CutsAtSentenceEnds()
    {
        var text = Prose(sentences: 120, seed: 3).Replace("\n\n", " ", StringComparison.Ordinal);

        var chunks = Chunker.Chunk(text);

        chunks.Count.ShouldBeGreaterThan(3);
        foreach (var chunk in chunks)
        {
            chunk.Text[^1].ShouldBe('.', $"chunk {chunk.Index} ends a sentence");
        }
    }

    [Fact]
    public void Chunk_NoPunctuation_CutsAtTargetWordsWithConfiguredOverlap()
    {
        var text = Words(1_000, "w");
        var options = Chunker.Options;

        var chunks = Chunker.Chunk(text);

        chunks[0].Text.ShouldBe(Words(options.TargetWords, "w"));
        var secondFirstWord = chunks[1].Text.Split(' ')[0];
        secondFirstWord.ShouldBe($"w{options.TargetWords - options.OverlapWords}");
        chunks[^1].Text.ShouldEndWith("w999");
    }

    [Fact]
    public void Chunk_SameTextTwice_SameChunks()
    {
        var text = Prose(sentences: 200, seed: 11);

        Chunker.Chunk(text).ShouldBe(new TextChunker(new ChunkingOptions()).Chunk(text));
    }

    [Fact]
    public void Chunk_LongRunOfEmojiWithoutSpaces_NeverSplitsASurrogatePair()
    {
        var text = string.Concat(Enumerable.Repeat("\U0001F600", 2_000)) + " end";

        var chunks = Chunker.Chunk(text);

        chunks.Count.ShouldBeGreaterThan(1);
        foreach (var chunk in chunks)
        {
            char.IsLowSurrogate(text[chunk.Start]).ShouldBeFalse();
            char.IsHighSurrogate(text[chunk.End - 1]).ShouldBeFalse();
            chunk.Length.ShouldBeLessThanOrEqualTo(Chunker.Options.MaxChunkCharacters);
        }

        chunks[^1].End.ShouldBe(text.Length);
    }

    [Fact]
    public void Chunk_LongRunOfCombiningSequences_NeverSeparatesAMarkFromItsBase()
    {
        // 'e' + combining acute: one grapheme of two UTF-16 units.
        var text = string.Concat(Enumerable.Repeat("e\u0301", 1_500));

        var chunks = Chunker.Chunk(text);

        chunks.Count.ShouldBeGreaterThan(1);
        foreach (var chunk in chunks)
        {
            chunk.Text[0].ShouldBe('e');
            chunk.Text[^1].ShouldBe('\u0301');
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t  ")]
    public void Chunk_EmptyOrWhiteSpace_ThrowsArgumentException(string text) =>
        Should.Throw<ArgumentException>(() => Chunker.Chunk(text)).Message.ShouldContain("empty");

    [Fact]
    public void Chunk_Null_ThrowsArgumentNullException() =>
        Should.Throw<ArgumentNullException>(() => Chunker.Chunk(null!));

    [Fact]
    public void Chunk_UnpairedSurrogate_ThrowsNamingTheOffset() =>
        Should.Throw<ArgumentException>(() => Chunker.Chunk("good text \uD83D then more")).Message.ShouldContain("offset 10");

    [Fact]
    public void Chunk_TextOverTheLimit_ThrowsBeforeDoingWork()
    {
        var chunker = new TextChunker(new ChunkingOptions { MaxTextCharacters = 1_000 });

        Should.Throw<ArgumentException>(() => chunker.Chunk(new string('a', 1_001))).Message.ShouldContain("at most 1,000");
    }

    [Theory]
    [InlineData(200, 160, 26)]
    [InlineData(128, 160, 100)]
    [InlineData(128, 5_000, 26)]
    public void Constructor_InconsistentOptions_ThrowsArgumentException(int target, int max, int overlap) =>
        Should.Throw<ArgumentException>(() => new TextChunker(new ChunkingOptions { TargetWords = target, MaxWords = max, OverlapWords = overlap }));

    internal static string Prose(int sentences, int seed)
    {
        string[] vocabulary =
        [
            "tenant", "vector", "search", "index", "document", "embedding", "cache", "quota", "server", "model",
            "the", "a", "of", "and", "to", "in", "is", "for", "with", "on", "each", "every", "query", "result",
            "chunk", "store", "collection", "isolation", "request", "token",
        ];
        var random = new Random(seed);
        var builder = new StringBuilder();
        for (var s = 0; s < sentences; s++)
        {
            var length = random.Next(6, 22);
            for (var w = 0; w < length; w++)
            {
                var word = vocabulary[random.Next(vocabulary.Length)];
                builder.Append(w == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word).Append(w == length - 1 ? ". " : " ");
            }

            if (random.Next(8) == 0)
            {
                builder.Length--;
                builder.Append("\n\n");
            }
        }

        return builder.ToString();
    }

    private static string Words(int count, string prefix) =>
        string.Join(' ', Enumerable.Range(0, count).Select(i => prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static int WordCount(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
