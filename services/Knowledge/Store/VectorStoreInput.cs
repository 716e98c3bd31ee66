using System.Buffers.Text;
using System.Collections.ObjectModel;
using System.Numerics.Tensors;
using System.Text;
using System.Text.RegularExpressions;

namespace McpPlatform.Knowledge.Store;

/// <summary>
/// The one place input is checked, so both providers reject exactly the same things with the same
/// messages, before anything is written. Messages name the argument, never echo its value.
/// </summary>
internal static partial class VectorStoreInput
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
        var title = Text(document.Title, "title", VectorStoreLimits.MaxTitleLength, allowEmpty: false);
        var source = document.SourceUrl is null ? null : Text(document.SourceUrl, "source URL", VectorStoreLimits.MaxSourceUrlLength, allowEmpty: false);
        var hash = document.ContentHash is null ? null : Text(document.ContentHash, "content hash", VectorStoreLimits.MaxContentHashLength, allowEmpty: false);
        var metadata = Metadata(document.Metadata);
        var chunks = document.Chunks ?? throw new ArgumentException("The document has no chunk list.", nameof(document));
        if (chunks.Count == 0)
        {
            throw new ArgumentException("A document needs at least one chunk.", nameof(document));
        }

        if (chunks.Count > VectorStoreLimits.MaxChunksPerDocument)
        {
            throw new ArgumentException($"A document has at most {VectorStoreLimits.MaxChunksPerDocument} chunks; this one has {chunks.Count}.", nameof(document));
        }

        var texts = new string[chunks.Count];
        var vectors = new float[chunks.Count][];
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i] ?? throw new ArgumentException($"Chunk {i} is null.", nameof(document));
            var text = chunk.Text ?? throw new ArgumentException($"Chunk {i} has no text.", nameof(document));
            if (text.Length == 0 || string.IsNullOrWhiteSpace(text))
            {
                throw new ArgumentException($"Chunk {i} text is empty.", nameof(document));
            }

            int bytes;
            try
            {
                bytes = StrictUtf8.GetByteCount(text);
            }
            catch (EncoderFallbackException)
            {
                throw new ArgumentException($"Chunk {i} text is not valid Unicode (unpaired surrogate).", nameof(document));
            }

            if (bytes > VectorStoreLimits.MaxChunkTextBytes)
            {
                throw new ArgumentException($"Chunk {i} text is {bytes} UTF-8 bytes; at most {VectorStoreLimits.MaxChunkTextBytes} are allowed per chunk.", nameof(document));
            }

            texts[i] = text;
            vectors[i] = NormalisedVector(chunk.Vector.Span, dimensions, $"chunk {i} vector", nameof(document));
        }

        return new ValidDocument(id, title, source, metadata, hash, texts, vectors);
    }

    public static string DocumentId(string? documentId, string parameterName = "documentId")
    {
        if (documentId is null)
        {
            throw new ArgumentNullException(parameterName, "The document id is required.");
        }

        return Text(documentId, "document id", VectorStoreLimits.MaxDocumentIdLength, allowEmpty: false, parameterName);
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
        if (filter is null || filter.Count == 0)
        {
            return [];
        }

        if (filter.Count > VectorStoreLimits.MaxFilterEntries)
        {
            throw new ArgumentException($"A filter has at most {VectorStoreLimits.MaxFilterEntries} key=value pairs.", nameof(filter));
        }

        var pairs = new List<KeyValuePair<string, string>>(filter.Count);
        foreach (var (key, value) in filter)
        {
            MetadataKey(key, nameof(filter));
            pairs.Add(new(key, Text(value, "filter value", VectorStoreLimits.MaxMetadataValueLength, allowEmpty: true, nameof(filter))));
        }

        return pairs;
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

    private static IReadOnlyDictionary<string, string> Metadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null || metadata.Count == 0)
        {
            return EmptyMetadata;
        }

        if (metadata.Count > VectorStoreLimits.MaxMetadataEntries)
        {
            throw new ArgumentException($"A document has at most {VectorStoreLimits.MaxMetadataEntries} metadata entries.", nameof(metadata));
        }

        var copy = new Dictionary<string, string>(metadata.Count, StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            MetadataKey(key, nameof(metadata));
            copy[key] = Text(value, "metadata value", VectorStoreLimits.MaxMetadataValueLength, allowEmpty: true, nameof(metadata));
        }

        return new ReadOnlyDictionary<string, string>(copy);
    }

    // Keys become Qdrant payload paths (meta.<key>): no dots, brackets or quotes, so a key can
    // never reach a field outside the document's own metadata.
    private static void MetadataKey(string? key, string parameterName)
    {
        if (key is null || !MetadataKeyShape().IsMatch(key))
        {
            throw new ArgumentException(
                $"Metadata keys are 1-{VectorStoreLimits.MaxMetadataKeyLength} characters of letters, digits, '_' or '-'.", parameterName);
        }
    }

    private static string Text(string? value, string what, int maxLength, bool allowEmpty, string? parameterName = null)
    {
        parameterName ??= what;
        if (value is null)
        {
            throw new ArgumentNullException(parameterName, $"The {what} is required.");
        }

        if (!allowEmpty && string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"The {what} is empty.", parameterName);
        }

        if (value.Length > maxLength)
        {
            throw new ArgumentException($"The {what} is {value.Length} characters; at most {maxLength} are allowed.", parameterName);
        }

        foreach (var c in value)
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                throw new ArgumentException($"The {what} contains a control character.", parameterName);
            }
        }

        try
        {
            StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"The {what} is not valid Unicode (unpaired surrogate).", parameterName);
        }

        return value;
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

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex MetadataKeyShape();
}
