namespace McpPlatform.Knowledge.Store;

/// <summary>
/// One tenant data partition of a <see cref="IVectorStore"/>. Document ids, titles and metadata
/// are data stored inside the partition; none of them is ever used to address storage.
/// Invalid arguments throw <see cref="ArgumentException"/> (or <see cref="ArgumentOutOfRangeException"/>)
/// before anything is written; store failures throw <see cref="KnowledgeStoreException"/>.
/// Limits are in <see cref="VectorStoreLimits"/>.
/// </summary>
public interface ITenantVectorScope : IAsyncDisposable
{
    /// <summary>Length of every vector this scope accepts.</summary>
    int Dimensions { get; }

    /// <summary>
    /// Stores a document and its chunks, replacing every chunk a document with the same id had.
    /// Idempotent: upserting the same document twice leaves the same state. Vectors are
    /// normalised on the way in, so scores are cosine similarities.
    /// </summary>
    /// <param name="document">The document; chunk <c>i</c> of <see cref="KnowledgeDocument.Chunks"/> gets index <c>i</c>.</param>
    /// <param name="cancellationToken">Cancels before the write starts.</param>
    /// <returns>The stored document and whether it replaced an earlier version.</returns>
    Task<UpsertResult> UpsertDocumentAsync(KnowledgeDocument document, CancellationToken cancellationToken = default);

    /// <summary>The <paramref name="topK"/> chunks most similar to <paramref name="query"/>, best first.</summary>
    /// <param name="query">The query vector (any non-zero length; normalised here).</param>
    /// <param name="topK">1 to <see cref="VectorStoreLimits.MaxTopK"/>.</param>
    /// <param name="filter">Optional exact key=value pairs on document metadata; all must match.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>Hits with score (cosine similarity), document and chunk.</returns>
    Task<IReadOnlyList<VectorSearchHit>> SearchAsync(
        ReadOnlyMemory<float> query,
        int topK,
        IReadOnlyDictionary<string, string>? filter = null,
        CancellationToken cancellationToken = default);

    /// <summary>One page of the partition's documents (without chunk texts).</summary>
    /// <param name="pageSize">1 to <see cref="VectorStoreLimits.MaxPageSize"/>.</param>
    /// <param name="cursor">Null for the first page, else <see cref="DocumentPage.NextCursor"/> of the previous one.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The page and the cursor of the next one (null at the end).</returns>
    Task<DocumentPage> ListDocumentsAsync(int pageSize, string? cursor = null, CancellationToken cancellationToken = default);

    /// <summary>A document with its chunk texts in order, or null when this partition has none with that id.</summary>
    /// <param name="documentId">The document id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The document or null.</returns>
    Task<StoredDocument?> GetDocumentAsync(string documentId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a document and all its chunks.</summary>
    /// <param name="documentId">The document id.</param>
    /// <param name="cancellationToken">Cancels before the write starts.</param>
    /// <returns>True when the document existed.</returns>
    Task<bool> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every document of this partition with its chunks, streamed one document at a time.
    /// Reads this partition's storage only: the tenant boundary is the scope, not a filter.
    /// </summary>
    /// <param name="includeVectors">Whether <see cref="StoredChunk.Vector"/> is filled (normalised vectors).</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The documents, in no guaranteed order.</returns>
    IAsyncEnumerable<StoredDocument> ExportAsync(bool includeVectors = false, CancellationToken cancellationToken = default);
}
