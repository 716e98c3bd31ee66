using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using McpPlatform.Core;
using McpPlatform.Knowledge.Chunking;
using McpPlatform.Knowledge.Store;
using McpPlatform.McpServer.Caching;
using McpPlatform.McpServer.Quota;
using McpPlatform.ToolsKnowledge.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace McpPlatform.ToolsKnowledge.Services;

/// <summary>
/// The knowledge operations behind the tools. Every method takes the caller's
/// <see cref="TenantContext"/> and reaches storage only through the scope the store opens for it
/// and the cache only through the tenant's <see cref="ITenantCache"/>: no argument names a tenant,
/// a collection or a cache key prefix. Embedding tokens are recorded on the call's
/// <see cref="InvocationUsage"/>, which quota settles when the call ends. Scoped (one per call).
/// </summary>
public sealed partial class KnowledgeService(
    IVectorStore store,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    TextChunker chunker,
    ITenantCacheFactory caches,
    InvocationUsage usage,
    IOptions<KnowledgeToolOptions> options,
    ILogger<KnowledgeService> logger)
{
    /// <summary>Cache purpose of search results; invalidated on every ingest and delete.</summary>
    public const string SearchCachePurpose = "search";

    /// <summary>Cache purpose of query embeddings; they depend on the model only, so writes leave them.</summary>
    public const string EmbeddingCachePurpose = "embedding";

    private const int ListPageSize = 50;

    private readonly KnowledgeToolOptions _options = options.Value;

    /// <summary>
    /// Validates, chunks, embeds and stores a document, replacing any earlier version with the same
    /// id. Nothing is written until every chunk is embedded, and the store replaces a document's
    /// chunks in one step, so a failure at any point leaves the previous state.
    /// </summary>
    /// <param name="tenant">The caller.</param>
    /// <param name="request">The document.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    /// <returns>What was stored.</returns>
    /// <exception cref="KnowledgeToolException">Bad input or a store failure, with its reason code.</exception>
    public async Task<IngestResult> IngestAsync(TenantContext tenant, IngestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(request);
        // The knowledge input rules, in argument order; the store applies them again before it writes.
        Require(KnowledgeInputRules.Title(request.Title));
        Require(KnowledgeInputRules.DocumentText(request.Text, _options.MaxDocumentCharacters));
        Require(request.DocumentId is null ? null : KnowledgeInputRules.DocumentId(request.DocumentId));
        Require(KnowledgeInputRules.SourceUrl(request.SourceUrl));
        Require(KnowledgeInputRules.Metadata(request.Metadata));
        var title = request.Title!;
        var text = request.Text!;
        var documentId = request.DocumentId ?? DerivedDocumentId(title);
        var sourceUrl = request.SourceUrl;
        var metadata = request.Metadata is { Count: > 0 } ? request.Metadata : null;
        var contentHash = ContentHash(title, text, sourceUrl, metadata);

        await using var scope = await OpenAsync(tenant, cancellationToken);
        var existing = await Store(() => scope.GetDocumentAsync(documentId, cancellationToken));
        if (existing is not null && existing.Document.ContentHash == contentHash)
        {
            return new IngestResult(documentId, title, existing.Document.ChunkCount, Replaced: false, Unchanged: true, 0, contentHash);
        }

        IReadOnlyList<TextChunk> pieces;
        try
        {
            pieces = chunker.Chunk(text);
        }
        catch (ArgumentException exception)
        {
            throw Invalid($"text cannot be chunked: {exception.Message}");
        }

        Require(KnowledgeInputRules.ChunkCount(pieces.Count));

        var (vectors, tokens) = await EmbedAsync(pieces.Select(piece => piece.Text).ToList(), cancellationToken);
        var chunks = new KnowledgeChunk[pieces.Count];
        for (var i = 0; i < pieces.Count; i++)
        {
            chunks[i] = new KnowledgeChunk(pieces[i].Text, vectors[i]);
        }

        var stored = await Store(() => scope.UpsertDocumentAsync(
            new KnowledgeDocument(documentId, title, chunks) { SourceUrl = sourceUrl, Metadata = metadata, ContentHash = contentHash },
            cancellationToken));
        await InvalidateSearchesAsync(tenant, cancellationToken);
        return new IngestResult(documentId, title, stored.Document.ChunkCount, stored.Replaced, Unchanged: false, tokens, contentHash);
    }

    /// <summary>
    /// The chunks closest to <paramref name="query"/>. The result is cached per tenant, keyed by the
    /// normalised query, <paramref name="topK"/> and the filter; the query's embedding is cached too.
    /// </summary>
    /// <param name="tenant">The caller.</param>
    /// <param name="query">Natural-language query.</param>
    /// <param name="topK">How many chunks.</param>
    /// <param name="filter">Exact metadata matches, optional.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>Hits, best first.</returns>
    /// <exception cref="KnowledgeToolException">Bad input or a store failure.</exception>
    public async Task<SearchResult> SearchAsync(
        TenantContext tenant, string? query, int topK, IReadOnlyDictionary<string, string>? filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        Require(KnowledgeInputRules.Query(query, _options.MaxQueryCharacters));
        if (topK < 1 || topK > _options.MaxTopK)
        {
            throw Invalid($"topK must be between 1 and {_options.MaxTopK}; it was {topK}.");
        }

        Require(KnowledgeInputRules.Filter(filter));
        var normalized = NormalizeQuery(query!);
        var filterPairs = filter is { Count: > 0 } ? filter : null;
        var cache = caches.ForTenant(tenant);
        var key = JsonSerializer.Serialize(new SearchKey(normalized, topK, filterPairs is null ? [] : Sorted(filterPairs)), KnowledgeJson.Default.SearchKey);

        long tokens = 0;
        var ran = false;
        var hits = await cache.GetOrCreateAsync(SearchCachePurpose, key, async token =>
        {
            ran = true;
            var (vector, used) = await QueryEmbeddingAsync(cache, normalized, token);
            tokens = used;
            await using var scope = await OpenAsync(tenant, token);
            var found = await Store(() => scope.SearchAsync(vector, topK, filterPairs, token));
            return found.Select(hit => new KnowledgeHit(hit.DocumentId, hit.Title, hit.ChunkIndex, hit.Text, hit.Score, hit.SourceUrl,
                new Dictionary<string, string>(hit.Metadata, StringComparer.Ordinal))).ToList();
        }, _options.SearchCacheTtl, cancellationToken);
        return new SearchResult(normalized, hits, Cached: !ran, tokens);
    }

    /// <summary>One page of the tenant's documents.</summary>
    /// <param name="tenant">The caller.</param>
    /// <param name="cursor">Null for the first page, else the previous page's cursor.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page.</returns>
    public async Task<DocumentListResult> ListAsync(TenantContext tenant, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var scope = await OpenAsync(tenant, cancellationToken);
        var page = await Store(() => scope.ListDocumentsAsync(ListPageSize, string.IsNullOrEmpty(cursor) ? null : cursor, cancellationToken));
        return new DocumentListResult([.. page.Documents.Select(View)], page.NextCursor);
    }

    /// <summary>A document with its chunk texts.</summary>
    /// <param name="tenant">The caller.</param>
    /// <param name="documentId">The id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The document.</returns>
    /// <exception cref="KnowledgeToolException"><see cref="ToolErrorCodes.DocumentNotFound"/> when the tenant has no such document.</exception>
    public async Task<DocumentContent> GetAsync(TenantContext tenant, string? documentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        Require(KnowledgeInputRules.DocumentId(documentId));
        var id = documentId!;
        await using var scope = await OpenAsync(tenant, cancellationToken);
        var document = await Store(() => scope.GetDocumentAsync(id, cancellationToken)) ?? throw NotFound();
        return Content(document);
    }

    /// <summary>Deletes a document and its chunks, then invalidates the tenant's cached searches.</summary>
    /// <param name="tenant">The caller.</param>
    /// <param name="documentId">The id.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    /// <returns>A task.</returns>
    /// <exception cref="KnowledgeToolException"><see cref="ToolErrorCodes.DocumentNotFound"/> when the tenant has no such document.</exception>
    public async Task DeleteAsync(TenantContext tenant, string? documentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        Require(KnowledgeInputRules.DocumentId(documentId));
        var id = documentId!;
        await using (var scope = await OpenAsync(tenant, cancellationToken))
        {
            if (!await Store(() => scope.DeleteDocumentAsync(id, cancellationToken)))
            {
                throw NotFound();
            }
        }

        await InvalidateSearchesAsync(tenant, cancellationToken);
    }

    internal static DocumentView View(DocumentSummary summary) =>
        new(summary.DocumentId, summary.Title, summary.SourceUrl, summary.Metadata, summary.ContentHash, summary.ChunkCount, summary.UpdatedAt);

    internal static DocumentContent Content(StoredDocument document) =>
        new(View(document.Document), [.. document.Chunks.OrderBy(chunk => chunk.Index).Select(chunk => chunk.Text)]);

    /// <summary>
    /// Trimmed, white-space runs collapsed to one space: spellings that embed identically share a
    /// cache entry. No Unicode normalisation: the services run with invariant globalization, where
    /// it does nothing for non-ASCII text. Case is kept (the OpenAI-compatible provider is cased).
    /// </summary>
    internal static string NormalizeQuery(string query) =>
        WhiteSpace().Replace(query.Trim(), " ");

    /// <summary>Re-ingesting the same title without an id replaces the same document.</summary>
    internal static string DerivedDocumentId(string title) =>
        "doc-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(title.Trim())))[..24];

    internal static string ContentHash(string title, string text, string? sourceUrl, IReadOnlyDictionary<string, string>? metadata)
    {
        var canonical = JsonSerializer.Serialize(new HashedContent(title, text, sourceUrl,
            metadata is null ? [] : Sorted(metadata)),
            KnowledgeJson.Default.HashedContent);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static List<string[]> Sorted(IReadOnlyDictionary<string, string> pairs) =>
        [.. pairs.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new[] { pair.Key, pair.Value })];

    private async Task<(ReadOnlyMemory<float>[] Vectors, long Tokens)> EmbedAsync(List<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new ReadOnlyMemory<float>[texts.Count];
        long tokens = 0;
        try
        {
            for (var offset = 0; offset < texts.Count; offset += _options.EmbeddingBatchSize)
            {
                var batch = texts.Skip(offset).Take(_options.EmbeddingBatchSize).ToList();
                var generated = await embeddings.GenerateAsync(batch, cancellationToken: cancellationToken);
                var used = TokensOf(generated, batch);
                tokens += used;
                // Recorded as they are spent: a later failure does not make spent tokens free.
                Record(used);
                for (var i = 0; i < batch.Count; i++)
                {
                    vectors[offset + i] = generated[i].Vector;
                }
            }
        }
        catch (ArgumentException exception)
        {
            throw Invalid($"The text cannot be embedded: {exception.Message}");
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not KnowledgeToolException)
        {
            LogEmbeddingFailed(logger, exception);
            throw new KnowledgeToolException(ToolErrorCodes.Unavailable, "The embedding model failed; nothing was stored.", 5, exception);
        }

        return (vectors, tokens);
    }

    private async Task<(ReadOnlyMemory<float> Vector, long Tokens)> QueryEmbeddingAsync(ITenantCache cache, string query, CancellationToken cancellationToken)
    {
        long tokens = 0;
        var vector = await cache.GetOrCreateAsync(EmbeddingCachePurpose, query, async token =>
        {
            var (vectors, used) = await EmbedAsync([query], token);
            tokens = used;
            return vectors[0].ToArray();
        }, _options.EmbeddingCacheTtl, cancellationToken);
        return (vector, tokens);
    }

    private void Record(long tokens) =>
        usage.Add(tokens, tokens * _options.CostPerThousandEmbeddingTokens / 1000m);

    // Providers that report no usage are charged by a conservative estimate (about 4 characters per token).
    private static long TokensOf(GeneratedEmbeddings<Embedding<float>> generated, IReadOnlyList<string> inputs) =>
        generated.Usage?.InputTokenCount ?? inputs.Sum(input => (long)((input.Length + 3) / 4) + 2);

    private async Task InvalidateSearchesAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        try
        {
            await caches.ForTenant(tenant).InvalidateAsync(SearchCachePurpose, cancellationToken);
        }
        catch (TenantCacheUnavailableException exception)
        {
            // The write stands; cached searches may be served until their lifetime ends.
            LogInvalidationFailed(logger, exception, _options.SearchCacheTtl);
        }
    }

    private async Task<ITenantVectorScope> OpenAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        try
        {
            return await store.OpenAsync(tenant, cancellationToken);
        }
        catch (KnowledgeStoreException exception)
        {
            LogStoreFailed(logger, exception, exception.Kind);
            throw KnowledgeToolException.From(exception);
        }
    }

    private async Task<T> Store<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (KnowledgeStoreException exception)
        {
            LogStoreFailed(logger, exception, exception.Kind);
            throw KnowledgeToolException.From(exception);
        }
        catch (ArgumentException exception)
        {
            // The store's validation messages name the argument and never echo its value.
            throw Invalid(exception.Message);
        }
    }

    private static void Require(KnowledgeInputError? error)
    {
        if (error is not null)
        {
            throw new KnowledgeToolException(error.Code, error.Message);
        }
    }

    private static KnowledgeToolException Invalid(string message) => new(ToolErrorCodes.InvalidArgument, message);

    private static KnowledgeToolException NotFound() =>
        new(ToolErrorCodes.DocumentNotFound, "Your knowledge base has no document with that id; list_documents shows the ids it has.");

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The knowledge store failed ({Kind}).")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, KnowledgeStoreErrorKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedding failed.")]
    private static partial void LogEmbeddingFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search cache invalidation did not reach Redis; cached searches may be served for up to {Ttl}.")]
    private static partial void LogInvalidationFailed(ILogger logger, Exception exception, TimeSpan ttl);
}
