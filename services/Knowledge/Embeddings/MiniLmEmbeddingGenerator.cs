using Microsoft.Extensions.AI;

namespace McpPlatform.Knowledge.Embeddings;

/// <summary>
/// Local, offline embeddings with all-MiniLM-L6-v2 (384 dimensions, L2-normalised, so cosine
/// similarity is the dot product). Inputs longer than the model's 256 word-piece window are
/// truncated, not rejected: <see cref="GeneratedEmbeddings{TEmbedding}.AdditionalProperties"/>
/// carries <see cref="TruncatedInputsKey"/> with how many were. Inputs longer than
/// <see cref="KnowledgeEmbeddingsOptions.MaxInputCharacters"/> are rejected.
/// <see cref="UsageDetails.InputTokenCount"/> is the word-pieces the model processed, including
/// <c>[CLS]</c> and <c>[SEP]</c> of each input. One instance per process is enough and safe to share.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Provider name in metadata and configuration.</summary>
    public const string ProviderName = "minilm";

    /// <summary>The model's id.</summary>
    public const string ModelId = "sentence-transformers/all-MiniLM-L6-v2";

    /// <summary>Vector length.</summary>
    public const int Dimensions = MiniLmModel.Dimensions;

    /// <summary>Word-pieces the model reads per input, <c>[CLS]</c> and <c>[SEP]</c> included; the rest is cut.</summary>
    public const int MaxSequenceTokens = MiniLmModel.MaxSequenceTokens;

    /// <summary>Key in <see cref="GeneratedEmbeddings{TEmbedding}.AdditionalProperties"/>: inputs cut to the window (an <see cref="int"/>).</summary>
    public const string TruncatedInputsKey = "truncated_inputs";

    private readonly KnowledgeEmbeddingsOptions _options;
    private readonly Lazy<MiniLmModel> _model;
    private readonly EmbeddingGeneratorMetadata _metadata = new(ProviderName, null, ModelId, Dimensions);

    /// <summary>Creates the generator; the model loads on first use (once per process).</summary>
    /// <param name="options">Input limits, batch size and threading.</param>
    public MiniLmEmbeddingGenerator(KnowledgeEmbeddingsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = KnowledgeEmbeddingsOptionsValidator.Check(options with { Provider = ProviderName });
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid embedding options: " + string.Join(" ", problems), nameof(options));
        }

        _options = options;
        _model = new(() => MiniLmModel.Get(options.IntraOpThreads, options.MaxConcurrentRuns));
    }

    /// <summary>Loads the model now instead of on the first call (start-up warm-up).</summary>
    public void EnsureLoaded() => _ = _model.Value;

    /// <summary>How many word-pieces the model would process for <paramref name="text"/> (window applied), without running it.</summary>
    /// <param name="text">A non-empty input.</param>
    /// <returns>The count including <c>[CLS]</c> and <c>[SEP]</c>, at most <see cref="MaxSequenceTokens"/>.</returns>
    public int CountTokens(string text)
    {
        EmbeddingInputs.ValidateOne(text, 0, _options.MaxInputCharacters);
        return _model.Value.Tokenize(text).Ids.Length;
    }

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = EmbeddingInputs.Validate(values, _options.MaxInputCharacters, _options.MaxInputsPerCall);
        if (options?.Dimensions is { } dimensions && dimensions != Dimensions)
        {
            throw new ArgumentException($"{ModelId} produces {Dimensions} dimensions; {dimensions} were requested.", nameof(options));
        }

        if (options?.ModelId is { } modelId && !string.Equals(modelId, ModelId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"This generator runs {ModelId}, not '{modelId}'.", nameof(options));
        }

        var model = _model.Value;
        var tokenized = new long[inputs.Count][];
        var truncated = 0;
        long tokens = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            (tokenized[i], var cut) = model.Tokenize(inputs[i]);
            truncated += cut ? 1 : 0;
            tokens += tokenized[i].Length;
        }

        // Batches of similar length pad less; a stable sort keeps batches the same for the same input.
        var order = Enumerable.Range(0, inputs.Count).OrderBy(i => tokenized[i].Length).ToArray();
        var vectors = new float[inputs.Count][];
        for (var offset = 0; offset < order.Length; offset += _options.BatchSize)
        {
            var members = order.AsSpan(offset, Math.Min(_options.BatchSize, order.Length - offset)).ToArray();
            var batch = await model.EmbedAsync(Array.ConvertAll(members, i => tokenized[i]), cancellationToken);
            for (var j = 0; j < members.Length; j++)
            {
                vectors[members[j]] = batch[j];
            }
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Select(vector => new Embedding<float>(vector) { ModelId = ModelId }))
        {
            Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens },
            AdditionalProperties = new() { [TruncatedInputsKey] = truncated },
        };
        return result;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Nothing to release: the model is shared by the process and lives as long as it.</summary>
    public void Dispose()
    {
    }
}
