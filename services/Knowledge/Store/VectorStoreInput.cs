using System.Buffers.Text;
using System.Collections.ObjectModel;
using System.Numerics.Tensors;
using System.Text;

namespace McpPlatform.Knowledge.Store;

/// <summary>
/// Where both providers check their input, so they reject exactly the same things with the same
/// messages before anything is written: text and metadata by <see cref="KnowledgeInputRules"/>
/// (the rules the tools apply too), vectors, result sizes and cursors here.
/// </summary>
internal static class VectorStoreInput
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    internal static readonly IReadOnlyDictionary<string, string> EmptyMetadata = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>A validated document with normalised copies of its vectors.</summary>
    internal sealed record ValidDocument(
        string DocumentId,
        string Title,
        string? SourceUrl,
        IReadOnlyDictionary<string, string> Metadata,
        string? ContentHash,
        string[] Texts,
        float[][] Vectors);

    public static ValidDocument Document(KnowledgeDocument document, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(document);
        var id = DocumentId(document.DocumentId, nameof(document));
        Check(KnowledgeInputRules.Title(document.Title), nameof(document));
        Check(KnowledgeInputRules.SourceUrl(document.SourceUrl), nameof(document));
        Check(KnowledgeInputRules.ContentHash(document.ContentHash), nameof(document));
        Check(KnowledgeInputRules.Metadata(document.Metadata), nameof(document));
        var chunks = document.Chunks ?? throw new ArgumentException("The document has no chunk list.", nameof(document));
        if (chunks.Count == 0)
        {
            throw new ArgumentException("A document needs at least one chunk.", nameof(document));
        }

        Check(KnowledgeInputRules.ChunkCount(chunks.Count), nameof(document));
        var texts = new string[chunks.Count];
        var vectors = new float[chunks.Count][];
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i] ?? throw new ArgumentException($"Chunk {i} is null.", nameof(document));
            Check(KnowledgeInputRules.ChunkText(i, chunk.Text), nameof(document));
            texts[i] = chunk.Text;
            vectors[i] = NormalisedVector(chunk.Vector.Span, dimensions, $"chunk {i} vector", nameof(document));
        }

        return new ValidDocument(id, document.Title, document.SourceUrl, Metadata(document.Metadata), document.ContentHash, texts, vectors);
    }

    public static string DocumentId(string? documentId, string parameterName = "documentId")
    {
        Check(KnowledgeInputRules.DocumentId(documentId), parameterName);
        return documentId!;
    }

    public static int TopK(int topK)
    {
        if (topK is < 1 or > VectorStoreLimits.MaxTopK)
        {
            throw new ArgumentOutOfRangeException(nameof(topK), topK, $"topK must be between 1 and {VectorStoreLimits.MaxTopK}.");
        }

        return topK;
    }

    public static int PageSize(int pageSize)
    {
        if (pageSize is < 1 or > VectorStoreLimits.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, $"pageSize must be between 1 and {VectorStoreLimits.MaxPageSize}.");
        }

        return pageSize;
    }

    public static float[] Query(ReadOnlySpan<float> query, int dimensions) =>
        NormalisedVector(query, dimensions, "query vector", "query");

    public static IReadOnlyList<KeyValuePair<string, string>> Filter(IReadOnlyDictionary<string, string>? filter)
    {
        Check(KnowledgeInputRules.Filter(filter), nameof(filter));
        return filter is null ? [] : [.. filter];
    }

    /// <summary>Cursors are base64url of provider-specific text, so a caller cannot mistake them for ids.</summary>
    public static string EncodeCursor(string value) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(value));

    public static string DecodeCursor(string cursor)
    {
        if (cursor.Length is 0 or > 1024 || !Base64Url.IsValid(cursor))
        {
            throw new ArgumentException("The cursor is not one this store issued.", nameof(cursor));
        }

        try
        {
            return StrictUtf8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (DecoderFallbackException)
        {
            throw new ArgumentException("The cursor is not one this store issued.", nameof(cursor));
        }
    }

    // A copy: the caller's dictionary may change after the call.
    private static IReadOnlyDictionary<string, string> Metadata(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is null || metadata.Count == 0
            ? EmptyMetadata
            : new ReadOnlyDictionary<string, string>(metadata.ToDictionary(StringComparer.Ordinal));

    // The rules are KnowledgeInputRules, shared with the tools; the store throws what they find.
    private static void Check(KnowledgeInputError? error, string parameterName)
    {
        if (error is not null)
        {
            throw new ArgumentException(error.Message, parameterName);
        }
    }

    private static float[] NormalisedVector(ReadOnlySpan<float> vector, int dimensions, string what, string parameterName)
    {
        if (vector.Length != dimensions)
        {
            throw new ArgumentException($"The {what} has {vector.Length} dimensions; this store holds {dimensions}-dimensional vectors.", parameterName);
        }

        foreach (var value in vector)
        {
            if (!float.IsFinite(value))
            {
                throw new ArgumentException($"The {what} contains NaN or infinity.", parameterName);
            }
        }

        // Norm in double: float overflow on large-but-finite components must not turn into a bogus zero/inf.
        double sum = 0;
        foreach (var value in vector)
        {
            sum += (double)value * value;
        }

        var norm = Math.Sqrt(sum);
        if (norm == 0 || !double.IsFinite(norm))
        {
            throw new ArgumentException($"The {what} has zero length and cannot be compared by direction.", parameterName);
        }

        var normalised = new float[dimensions];
        TensorPrimitives.Multiply(vector, (float)(1.0 / norm), normalised);
        return normalised;
    }

}
