namespace McpPlatform.Knowledge.Store;

/// <summary>A document to store: its chunks in order, each with its embedding.</summary>
/// <param name="DocumentId">Caller's id for the document (the idempotency key); data, never a storage address.</param>
/// <param name="Title">Display title returned with every hit.</param>
/// <param name="Chunks">At least one chunk; chunk <c>i</c> gets index <c>i</c>.</param>
public sealed record KnowledgeDocument(string DocumentId, string Title, IReadOnlyList<KnowledgeChunk> Chunks)
{
    /// <summary>Where the document came from, if known.</summary>
    public string? SourceUrl { get; init; }

    /// <summary>Exact-match filterable key=value pairs (keys: letters, digits, '_' and '-').</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Optional hash of the source text, returned by list/get so a caller can skip re-embedding unchanged text.</summary>
    public string? ContentHash { get; init; }
}

/// <summary>One chunk of a document and its embedding.</summary>
/// <param name="Text">The chunk text (at most <see cref="VectorStoreLimits.MaxChunkTextBytes"/> UTF-8 bytes).</param>
/// <param name="Vector">The embedding; <see cref="IVectorStore.Dimensions"/> finite values, not all zero.</param>
public sealed record KnowledgeChunk(string Text, ReadOnlyMemory<float> Vector);

/// <summary>A stored document without its chunk texts.</summary>
/// <param name="DocumentId">The document id.</param>
/// <param name="Title">The title.</param>
/// <param name="SourceUrl">The source URL, if any.</param>
/// <param name="Metadata">The metadata (empty when none).</param>
/// <param name="ContentHash">The caller's content hash, if any.</param>
/// <param name="ChunkCount">Number of chunks.</param>
/// <param name="UpdatedAt">When this version was stored.</param>
public sealed record DocumentSummary(
    string DocumentId,
    string Title,
    string? SourceUrl,
    IReadOnlyDictionary<string, string> Metadata,
    string? ContentHash,
    int ChunkCount,
    DateTimeOffset UpdatedAt);

/// <summary>A stored chunk.</summary>
/// <param name="Index">Position in the document, from 0.</param>
/// <param name="Text">The chunk text.</param>
/// <param name="Vector">The normalised vector when requested (export), else empty.</param>
public sealed record StoredChunk(int Index, string Text, ReadOnlyMemory<float> Vector);

/// <summary>A stored document with its chunks in order.</summary>
/// <param name="Document">The document's fields.</param>
/// <param name="Chunks">The chunks, index 0 first.</param>
public sealed record StoredDocument(DocumentSummary Document, IReadOnlyList<StoredChunk> Chunks);

/// <summary>One search result.</summary>
/// <param name="DocumentId">The document the chunk belongs to.</param>
/// <param name="Title">The document's title.</param>
/// <param name="ChunkIndex">The chunk's position in the document.</param>
/// <param name="Text">The chunk text.</param>
/// <param name="Score">Cosine similarity in [-1, 1]; higher is closer.</param>
/// <param name="SourceUrl">The document's source URL, if any.</param>
/// <param name="Metadata">The document's metadata.</param>
public sealed record VectorSearchHit(
    string DocumentId,
    string Title,
    int ChunkIndex,
    string Text,
    float Score,
    string? SourceUrl,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>A page of documents.</summary>
/// <param name="Documents">The documents of this page.</param>
/// <param name="NextCursor">Opaque cursor of the next page, null when this is the last.</param>
public sealed record DocumentPage(IReadOnlyList<DocumentSummary> Documents, string? NextCursor);

/// <summary>The outcome of an upsert.</summary>
/// <param name="Document">The stored document.</param>
/// <param name="Replaced">True when a document with that id existed and was replaced.</param>
public sealed record UpsertResult(DocumentSummary Document, bool Replaced);

/// <summary>Bounds on input, enforced identically by every provider.</summary>
public static class VectorStoreLimits
{
    /// <summary>Largest <c>topK</c> a search accepts.</summary>
    public const int MaxTopK = 100;

    /// <summary>Largest page of <see cref="ITenantVectorScope.ListDocumentsAsync"/>.</summary>
    public const int MaxPageSize = 200;

    /// <summary>Longest document id, in UTF-16 characters.</summary>
    public const int MaxDocumentIdLength = 256;

    /// <summary>Longest title, in UTF-16 characters.</summary>
    public const int MaxTitleLength = 512;

    /// <summary>Longest source URL, in UTF-16 characters.</summary>
    public const int MaxSourceUrlLength = 2048;

    /// <summary>Longest content hash, in UTF-16 characters.</summary>
    public const int MaxContentHashLength = 128;

    /// <summary>Most metadata entries per document.</summary>
    public const int MaxMetadataEntries = 32;

    /// <summary>Longest metadata key.</summary>
    public const int MaxMetadataKeyLength = 64;

    /// <summary>Longest metadata value, in UTF-16 characters.</summary>
    public const int MaxMetadataValueLength = 512;

    /// <summary>Most key=value pairs in a search filter.</summary>
    public const int MaxFilterEntries = 8;

    /// <summary>Most chunks per document.</summary>
    public const int MaxChunksPerDocument = 2048;

    /// <summary>Largest chunk text, in UTF-8 bytes.</summary>
    public const int MaxChunkTextBytes = 16 * 1024;
}
