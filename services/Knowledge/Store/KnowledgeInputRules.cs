using System.Text;
using System.Text.RegularExpressions;
using McpPlatform.Core;

namespace McpPlatform.Knowledge.Store;

/// <summary>
/// The one definition of acceptable knowledge input: text, ids, URLs and metadata. The tools check
/// a request with these rules before anything is embedded, and every store provider applies the
/// same rules before anything is written, so a caller gets the same code and message wherever it
/// is stopped. Each rule returns null when the input is fine. Messages name the argument and never
/// echo its value.
/// </summary>
public static partial class KnowledgeInputRules
{
    /// <summary>
    /// Whether <paramref name="text"/> is valid Unicode: every surrogate is half of a pair, so the
    /// text converts to UTF-8 (and embeds and stores) without loss.
    /// </summary>
    /// <param name="text">UTF-16 text.</param>
    /// <returns>True when the text has no unpaired surrogate.</returns>
    public static bool IsValidUnicode(ReadOnlySpan<char> text) => UnicodeText.IsValid(text);

    /// <summary>Whether <paramref name="utf8"/> is valid UTF-8: the byte form of <see cref="IsValidUnicode"/>.</summary>
    /// <param name="utf8">UTF-8 bytes.</param>
    /// <returns>True when the bytes decode without replacement.</returns>
    public static bool IsValidUtf8(ReadOnlySpan<byte> utf8) => UnicodeText.IsValidUtf8(utf8);

    /// <summary>A document title: required, at most <see cref="VectorStoreLimits.MaxTitleLength"/> characters, no control characters.</summary>
    /// <param name="title">The title.</param>
    /// <returns>The broken rule, or null.</returns>
    public static KnowledgeInputError? Title(string? title) =>
        Text(title, "title", VectorStoreLimits.MaxTitleLength, allowControlCharacters: false);

    /// <summary>A document id: required, at most <see cref="VectorStoreLimits.MaxDocumentIdLength"/> characters, no control characters.</summary>
    /// <param name="documentId">The id.</param>
    /// <returns>The broken rule, or null.</returns>
    public static KnowledgeInputError? DocumentId(string? documentId) =>
        Text(documentId, "documentId", VectorStoreLimits.MaxDocumentIdLength, allowControlCharacters: false);

    /// <summary>An optional source URL: when present, an absolute http or https URL of at most <see cref="VectorStoreLimits.MaxSourceUrlLength"/> characters.</summary>
    /// <param name="sourceUrl">The URL, or null.</param>
    /// <returns>The broken rule, or null.</returns>
    public static KnowledgeInputError? SourceUrl(string? sourceUrl)
    {
        if (sourceUrl is null)
        {
            return null;
        }

        if (Text(sourceUrl, "sourceUrl", VectorStoreLimits.MaxSourceUrlLength, allowControlCharacters: false) is { } error)
        {
            return error;
        }

        return Uri.TryCreate(sourceUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? null
            : Invalid("sourceUrl must be an absolute http or https URL.");
    }

    /// <summary>An optional content hash: when present, at most <see cref="VectorStoreLimits.MaxContentHashLength"/> characters.</summary>
    /// <param name="contentHash">The hash, or null.</param>
    /// <returns>The broken rule, or null.</returns>
    public static KnowledgeInputError? ContentHash(string? contentHash) =>
        contentHash is null ? null : Text(contentHash, "contentHash", VectorStoreLimits.MaxContentHashLength, allowControlCharacters: false);

    /// <summary>
    /// A document's full text: required, at most <paramref name="maxCharacters"/> characters
    /// (<see cref="ToolErrorCodes.DocumentTooLarge"/> beyond), valid Unicode. The size is checked
    /// before the text is scanned, so an oversized text costs nothing to refuse.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="maxCharacters">The caller's per-document limit.</param>
    /// <returns>The broken rule, or null.</returns>
    public static KnowledgeInputError? DocumentText(string? text, int maxCharacters)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Invalid("text is required and must not be empty.");
        }

        if (text.Length > maxCharacters)
        {
            return new(ToolErrorCodes.DocumentTooLarge,
                $"text is {text.Length:N0} characters; at most {maxCharacters:N0} are accepted per document. Split it into several documents.");
        }

        return IsValidUnicode(text) ? null : InvalidText("text");
    }

    /// <summary>How many chunks one document may have: at most <see cref="VectorStoreLimits.MaxChunksPerDocument"/>.</summary>
    /// <param name="chunks">The document's chunk count.</param>
    /// <returns>The broken rule, or null.</returns>
    public static KnowledgeInputError? ChunkCount(int chunks) =>
        chunks <= VectorStoreLimits.MaxChunksPerDocument
            ? null
            : new(ToolErrorCodes.DocumentTooLarge,
                $"text makes {chunks:N0} chunks; at most {VectorStoreLimits.MaxChunksPerDocument:N0} are stored per document. Split it into several documents.");

    /// <summary>
    /// One chunk's text: not empty, valid Unicode, at most <see cref="VectorStoreLimits.MaxChunkTextBytes"/> UTF-8 bytes.
    /// Control characters are allowed: chunks are cut from document text, which may contain them.
    /// </summary>
    /// <param name="index">The chunk's position, named in the message.</param>
    /// <param name="text">The chunk text.</param>
    /// <returns>The broken rule, or null.</returns>
    public static KnowledgeInputError? ChunkText(int index, string? text)
    {
        if (text is null)
        {
            return Invalid($"Chunk {index} has no text.");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return Invalid($"Chunk {index} text is empty.");
        }

        if (!IsValidUnicode(text))
        {
            return new(ToolErrorCodes.InvalidText, $"Chunk {index} text is not valid Unicode (unpaired surrogate).");
        }

        var bytes = Encoding.UTF8.GetByteCount(text);
        return bytes <= VectorStoreLimits.MaxChunkTextBytes
            ? null
            : Invalid($"Chunk {index} text is {bytes} UTF-8 bytes; at most {VectorStoreLimits.MaxChunkTextBytes} are allowed per chunk.");
    }

    /// <summary>
    /// A search query: required, at most <paramref name="maxCharacters"/> characters, valid Unicode.
    /// Control characters are allowed: a query is embedded, never stored.
    /// </summary>
    /// <param name="query">The query.</param>
    /// <param name="maxCharacters">The caller's query length limit.</param>
    /// <returns>The broken rule, or null.</returns>
    public static KnowledgeInputError? Query(string? query, int maxCharacters) =>
        Text(query, "query", maxCharacters, allowControlCharacters: true);

    /// <summary>
    /// Document metadata: at most <see cref="VectorStoreLimits.MaxMetadataEntries"/> pairs; keys of
    /// letters, digits, '_' or '-'; values of at most <see cref="VectorStoreLimits.MaxMetadataValueLength"/>
    /// characters of valid Unicode without control characters. Null or empty is fine.
    /// </summary>
    /// <param name="metadata">The pairs.</param>
    /// <returns>The broken rule, or null.</returns>
    public static KnowledgeInputError? Metadata(IReadOnlyDictionary<string, string>? metadata) =>
        Pairs(metadata, "metadata", VectorStoreLimits.MaxMetadataEntries);

    /// <summary>A search filter: metadata rules, at most <see cref="VectorStoreLimits.MaxFilterEntries"/> pairs. Null or empty is fine.</summary>
    /// <param name="filter">The pairs.</param>
    /// <returns>The broken rule, or null.</returns>
    public static KnowledgeInputError? Filter(IReadOnlyDictionary<string, string>? filter) =>
        Pairs(filter, "filter", VectorStoreLimits.MaxFilterEntries);

    private static KnowledgeInputError? Text(string? value, string name, int maxLength, bool allowControlCharacters)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Invalid($"{name} is required and must not be empty.");
        }

        if (value.Length > maxLength)
        {
            return Invalid($"{name} is {value.Length:N0} characters; at most {maxLength:N0} are accepted.");
        }

        if (!IsValidUnicode(value))
        {
            return InvalidText(name);
        }

        return allowControlCharacters || !HasControlCharacter(value) ? null : Invalid($"{name} contains a control character.");
    }

    private static KnowledgeInputError? Pairs(IReadOnlyDictionary<string, string>? pairs, string name, int maxEntries)
    {
        if (pairs is null || pairs.Count == 0)
        {
            return null;
        }

        if (pairs.Count > maxEntries)
        {
            return Invalid($"{name} has {pairs.Count} entries; at most {maxEntries} are accepted.");
        }

        foreach (var (key, value) in pairs)
        {
            // Keys become Qdrant payload paths (meta.<key>): no dots, brackets or quotes, so a key
            // can never reach a field outside the document's own metadata.
            if (key is null || !MetadataKeyShape().IsMatch(key))
            {
                return Invalid($"{name} keys are 1-{VectorStoreLimits.MaxMetadataKeyLength} letters, digits, '_' or '-'.");
            }

            if (value is null || value.Length > VectorStoreLimits.MaxMetadataValueLength)
            {
                return Invalid($"{name} values are strings of at most {VectorStoreLimits.MaxMetadataValueLength} characters.");
            }

            if (!IsValidUnicode(value))
            {
                return InvalidText(name);
            }

            if (HasControlCharacter(value))
            {
                return Invalid($"The {name} value contains a control character.");
            }
        }

        return null;
    }

    // Tab, line feed and carriage return are ordinary in text; other control characters are not.
    private static bool HasControlCharacter(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                return true;
            }
        }

        return false;
    }

    private static KnowledgeInputError Invalid(string message) => new(ToolErrorCodes.InvalidArgument, message);

    private static KnowledgeInputError InvalidText(string name) => new(ToolErrorCodes.InvalidText,
        $"{name} is not valid Unicode: it contains an unpaired surrogate (invalid UTF-16/UTF-8). Send the text as proper UTF-8.");

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex MetadataKeyShape();
}
