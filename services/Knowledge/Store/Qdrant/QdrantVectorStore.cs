using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.Collections;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using McpPlatform.Core;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace McpPlatform.Knowledge.Store;

/// <summary>
/// Request-path Qdrant store: one collection per data partition (<c>kb_</c> + opaque key), every
/// call authenticated with a JWT that grants that one collection only (from
/// <see cref="IQdrantCollectionTokenSource"/>). This class never sees the global API key and never
/// creates collections (<see cref="QdrantCollectionProvisioner"/> does, on onboarding).
/// <para>
/// Layout: one point per chunk, id = UUID from SHA-256(document id, chunk index), payload
/// <c>doc_id</c>, <c>chunk</c>, <c>chunk_count</c>, <c>text</c>, <c>title</c>, <c>source_url</c>,
/// <c>content_hash</c>, <c>updated_at</c> (unix ms) and <c>meta_kv</c> (["key=value", …], so a
/// metadata filter is an exact keyword match and no key can name another payload path).
/// An upsert is one Qdrant upsert request (all chunks) followed by deleting the document's
/// chunks past the new count; Qdrant has no multi-request transaction, so a concurrent search
/// may briefly see old and new chunks of one document, and a crash between the two leaves stale
/// trailing chunks that reads ignore (index ≥ <c>chunk_count</c> of chunk 0) and the next upsert
/// or delete of that document removes.
/// </para>
/// </summary>
public sealed class QdrantVectorStore : IVectorStore, IDisposable
{
    internal const string DocumentIdField = "doc_id";
    internal const string ChunkField = "chunk";
    internal const string ChunkCountField = "chunk_count";
    internal const string TextField = "text";
    internal const string TitleField = "title";
    internal const string SourceUrlField = "source_url";
    internal const string ContentHashField = "content_hash";
    internal const string UpdatedAtField = "updated_at";
    internal const string MetadataField = "meta_kv";

    // Large enough for a whole document of maximum size in one message (2048 × (16 KiB + vector)).
    private const int MaxMessageBytes = 64 << 20;

    private readonly GrpcChannel _channel;
    private readonly TenantPartitionKeys _keys;
    private readonly IQdrantCollectionTokenSource _tokens;
    private readonly TimeProvider _time;

    /// <param name="endpoint">Qdrant's gRPC endpoint.</param>
    /// <param name="partitionKeys">Derives collection names from data partitions.</param>
    /// <param name="tokens">Supplies collection-scoped tokens.</param>
    /// <param name="dimensions">Vector length; must match the provisioned collections.</param>
    /// <param name="timeProvider">Clock for <see cref="DocumentSummary.UpdatedAt"/>.</param>
    public QdrantVectorStore(Uri endpoint, TenantPartitionKeys partitionKeys, IQdrantCollectionTokenSource tokens, int dimensions, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(partitionKeys);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);

        // No API key on the channel: each scope adds its own collection-scoped token per call.
        _channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions { MaxReceiveMessageSize = MaxMessageBytes, MaxSendMessageSize = MaxMessageBytes });
        _keys = partitionKeys;
        _tokens = tokens;
        Dimensions = dimensions;
        _time = timeProvider ?? TimeProvider.System;
    }

    public int Dimensions { get; }

    public async ValueTask<ITenantVectorScope> OpenAsync(TenantContext tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var collection = QdrantCollectionNames.For(_keys.KeyFor(tenant));
        var token = await _tokens.GetTokenAsync(collection, cancellationToken);
        if (!string.Equals(token.Collection, collection, StringComparison.Ordinal))
        {
            throw new KnowledgeStoreException(KnowledgeStoreErrorKind.AccessDenied, "The token source returned a token for a different collection.");
        }

        var invoker = _channel.Intercept(metadata =>
        {
            metadata.Add("api-key", token.Token);
            return metadata;
        });
        return new QdrantTenantScope(new QdrantClient(new QdrantGrpcClient(invoker)), collection, Dimensions, _time);
    }

    public void Dispose() => _channel.Dispose();

    /// <summary>The point id of a chunk: deterministic, so re-upserting a document overwrites its points.</summary>
    internal static Guid PointId(string documentId, int chunkIndex)
    {
        var id = Encoding.UTF8.GetBytes(documentId);
        var input = new byte[id.Length + 5];
        id.CopyTo(input, 0);
        BitConverter.TryWriteBytes(input.AsSpan(id.Length + 1), chunkIndex);
        return new Guid(SHA256.HashData(input).AsSpan(0, 16));
    }

    internal static string MetadataPair(string key, string value) => key + "=" + value;

    private sealed class QdrantTenantScope(QdrantClient client, string collection, int dimensions, TimeProvider time) : ITenantVectorScope
    {
        public int Dimensions => dimensions;

        public async Task<UpsertResult> UpsertDocumentAsync(KnowledgeDocument document, CancellationToken cancellationToken = default)
        {
            var valid = VectorStoreInput.Document(document, dimensions);
            var updatedAt = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
            var summary = new DocumentSummary(valid.DocumentId, valid.Title, valid.SourceUrl, valid.Metadata, valid.ContentHash, valid.Texts.Length, updatedAt);
            var points = new List<PointStruct>(valid.Texts.Length);
            for (var i = 0; i < valid.Texts.Length; i++)
            {
                var point = new PointStruct { Id = PointId(valid.DocumentId, i), Vectors = valid.Vectors[i] };
                point.Payload[DocumentIdField] = valid.DocumentId;
                point.Payload[ChunkField] = i;
                point.Payload[ChunkCountField] = valid.Texts.Length;
                point.Payload[TextField] = valid.Texts[i];
                point.Payload[TitleField] = valid.Title;
                point.Payload[UpdatedAtField] = updatedAt.ToUnixTimeMilliseconds();
                if (valid.SourceUrl is not null)
                {
                    point.Payload[SourceUrlField] = valid.SourceUrl;
                }

                if (valid.ContentHash is not null)
                {
                    point.Payload[ContentHashField] = valid.ContentHash;
                }

                var pairs = new ListValue();
                foreach (var (key, value) in valid.Metadata)
                {
                    pairs.Values.Add(MetadataPair(key, value));
                }

                point.Payload[MetadataField] = new Value { ListValue = pairs };
                points.Add(point);
            }

            return await Call(async () =>
            {
                var existed = await client.CountAsync(collection, DocumentFilter(valid.DocumentId), exact: true, cancellationToken: cancellationToken) > 0;
                await client.UpsertAsync(collection, points, wait: true, cancellationToken: cancellationToken);
                await client.DeleteAsync(collection, DocumentFilter(valid.DocumentId) & Range(ChunkField, new Qdrant.Client.Grpc.Range { Gte = valid.Texts.Length }),
                    wait: true, cancellationToken: cancellationToken);
                return new UpsertResult(summary, existed);
            });
        }

        public async Task<IReadOnlyList<VectorSearchHit>> SearchAsync(
            ReadOnlyMemory<float> query, int topK, IReadOnlyDictionary<string, string>? filter = null, CancellationToken cancellationToken = default)
        {
            var k = VectorStoreInput.TopK(topK);
            var vector = VectorStoreInput.Query(query.Span, dimensions);
            Filter? qdrantFilter = null;
            foreach (var (key, value) in VectorStoreInput.Filter(filter))
            {
                Filter condition = MatchKeyword(MetadataField, MetadataPair(key, value));
                qdrantFilter = qdrantFilter is null ? condition : qdrantFilter & condition;
            }

            var points = await Call(() => client.QueryAsync(collection, query: vector, filter: qdrantFilter, limit: (ulong)k,
                payloadSelector: true, cancellationToken: cancellationToken));
            var hits = new List<VectorSearchHit>(points.Count);
            foreach (var point in points)
            {
                var summary = Summary(point.Payload);
                hits.Add(new VectorSearchHit(summary.DocumentId, summary.Title, (int)point.Payload[ChunkField].IntegerValue,
                    point.Payload[TextField].StringValue, Math.Clamp(point.Score, -1f, 1f), summary.SourceUrl, summary.Metadata));
            }

            return hits;
        }

        public async Task<DocumentPage> ListDocumentsAsync(int pageSize, string? cursor = null, CancellationToken cancellationToken = default)
        {
            var size = VectorStoreInput.PageSize(pageSize);
            Qdrant.Client.Grpc.PointId? offset = null;
            if (cursor is not null)
            {
                offset = Guid.TryParse(VectorStoreInput.DecodeCursor(cursor), out var id)
                    ? id
                    : throw new ArgumentException("The cursor is not one this store issued.", nameof(cursor));
            }

            var page = await Call(() => client.ScrollAsync(collection, Match(ChunkField, 0), (uint)size, offset,
                payloadSelector: true, cancellationToken: cancellationToken));
            var documents = page.Result.Select(point => Summary(point.Payload)).ToList();
            var next = page.NextPageOffset is { HasUuid: true } nextId ? VectorStoreInput.EncodeCursor(nextId.Uuid) : null;
            return new DocumentPage(documents, next);
        }

        public async Task<StoredDocument?> GetDocumentAsync(string documentId, CancellationToken cancellationToken = default) =>
            await Read(VectorStoreInput.DocumentId(documentId), includeVectors: false, cancellationToken);

        public async Task<bool> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken = default)
        {
            var id = VectorStoreInput.DocumentId(documentId);
            return await Call(async () =>
            {
                if (await client.CountAsync(collection, DocumentFilter(id), exact: true, cancellationToken: cancellationToken) == 0)
                {
                    return false;
                }

                await client.DeleteAsync(collection, DocumentFilter(id), wait: true, cancellationToken: cancellationToken);
                return true;
            });
        }

        public async IAsyncEnumerable<StoredDocument> ExportAsync(bool includeVectors = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            string? cursor = null;
            do
            {
                var page = await ListDocumentsAsync(VectorStoreLimits.MaxPageSize, cursor, cancellationToken);
                foreach (var summary in page.Documents)
                {
                    var document = await Read(summary.DocumentId, includeVectors, cancellationToken);
                    if (document is not null)
                    {
                        yield return document;
                    }
                }

                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }

        public ValueTask DisposeAsync()
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        }

        private async Task<StoredDocument?> Read(string documentId, bool includeVectors, CancellationToken cancellationToken)
        {
            // Stale trailing chunks (see class remarks) can make more points than MaxChunksPerDocument.
            var limit = (uint)(2 * VectorStoreLimits.MaxChunksPerDocument);
            var result = await Call(() => client.ScrollAsync(collection, DocumentFilter(documentId), limit,
                payloadSelector: true, vectorsSelector: includeVectors, cancellationToken: cancellationToken));
            var first = result.Result.FirstOrDefault(point => point.Payload[ChunkField].IntegerValue == 0);
            if (first is null)
            {
                return null;
            }

            var summary = Summary(first.Payload);
            var chunks = result.Result
                .Select(point => (Index: (int)point.Payload[ChunkField].IntegerValue, Point: point))
                .Where(chunk => chunk.Index < summary.ChunkCount)
                .OrderBy(chunk => chunk.Index)
                .Select(chunk => new StoredChunk(chunk.Index, chunk.Point.Payload[TextField].StringValue,
                    includeVectors ? DenseVector(chunk.Point.Vectors) : ReadOnlyMemory<float>.Empty))
                .ToList();
            return new StoredDocument(summary, chunks);
        }

        private static Filter DocumentFilter(string documentId) => MatchKeyword(DocumentIdField, documentId);

        private static DocumentSummary Summary(MapField<string, Value> payload)
        {
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            if (payload.TryGetValue(MetadataField, out var pairs) && pairs.KindCase == Value.KindOneofCase.ListValue)
            {
                foreach (var pair in pairs.ListValue.Values)
                {
                    var text = pair.StringValue;
                    var separator = text.IndexOf('=', StringComparison.Ordinal);
                    if (separator > 0)
                    {
                        metadata[text[..separator]] = text[(separator + 1)..];
                    }
                }
            }

            return new DocumentSummary(
                payload[DocumentIdField].StringValue,
                payload[TitleField].StringValue,
                OptionalString(payload, SourceUrlField),
                metadata.Count == 0 ? VectorStoreInput.EmptyMetadata : metadata.AsReadOnly(),
                OptionalString(payload, ContentHashField),
                (int)payload[ChunkCountField].IntegerValue,
                DateTimeOffset.FromUnixTimeMilliseconds(payload[UpdatedAtField].IntegerValue));
        }

        private static string? OptionalString(MapField<string, Value> payload, string field) =>
            payload.TryGetValue(field, out var value) && value.KindCase == Value.KindOneofCase.StringValue ? value.StringValue : null;

        private static ReadOnlyMemory<float> DenseVector(VectorsOutput vectors) =>
            vectors?.Vector is { } vector ? vector.GetDenseVector()?.Data.ToArray() ?? [] : ReadOnlyMemory<float>.Empty;
    }

    /// <summary>Maps Qdrant's gRPC failures to <see cref="KnowledgeStoreException"/> without echoing tenant data.</summary>
    internal static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.NotFound)
        {
            throw new KnowledgeStoreException(KnowledgeStoreErrorKind.NotProvisioned,
                "This tenant's knowledge collection does not exist in Qdrant; it is created by the onboarding step (QdrantCollectionProvisioner).", error);
        }
        catch (RpcException error) when (error.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated)
        {
            throw new KnowledgeStoreException(KnowledgeStoreErrorKind.AccessDenied, "Qdrant refused the collection-scoped token.", error);
        }
        catch (RpcException error)
        {
            throw new KnowledgeStoreException(KnowledgeStoreErrorKind.Unavailable, $"Qdrant call failed ({error.StatusCode}).", error);
        }
    }
}
