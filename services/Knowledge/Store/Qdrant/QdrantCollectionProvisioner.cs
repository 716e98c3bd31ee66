using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace McpPlatform.Knowledge.Store;

/// <summary>
/// Privileged onboarding step for Qdrant: creates a partition's collection (cosine distance,
/// the store's dimensions) and its payload indexes, or deletes it on offboarding. Uses the
/// global API key, which collection-scoped tokens cannot replace: Qdrant refuses collection
/// management to them. Not for the request path.
/// </summary>
public sealed class QdrantCollectionProvisioner : IVectorStoreProvisioner, IDisposable
{
    private readonly QdrantClient _client;
    private readonly TenantPartitionKeys _keys;
    private readonly int _dimensions;
    private readonly ILogger _logger;

    /// <param name="connection">Endpoint and global API key.</param>
    /// <param name="partitionKeys">Derives collection names from data partitions.</param>
    /// <param name="dimensions">Vector length of new collections.</param>
    /// <param name="logger">Logs created and deleted collections (by opaque name).</param>
    public QdrantCollectionProvisioner(QdrantConnection connection, TenantPartitionKeys partitionKeys, int dimensions, ILogger<QdrantCollectionProvisioner>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(partitionKeys);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        _client = new QdrantClient(connection.Endpoint, connection.ApiKey);
        _keys = partitionKeys;
        _dimensions = dimensions;
        _logger = logger ?? NullLogger<QdrantCollectionProvisioner>.Instance;
    }

    public async Task<bool> ProvisionAsync(string dataPartition, CancellationToken cancellationToken = default)
    {
        var collection = QdrantCollectionNames.For(_keys.KeyForPartition(dataPartition));
        var created = await QdrantVectorStore.Call(async () =>
        {
            if (await _client.CollectionExistsAsync(collection, cancellationToken))
            {
                return false;
            }

            try
            {
                await _client.CreateCollectionAsync(collection, new VectorParams { Size = (ulong)_dimensions, Distance = Distance.Cosine },
                    cancellationToken: cancellationToken);
                return true;
            }
            catch (RpcException)
            {
                // Another onboarding run may have created it between the check and the create.
                if (await _client.CollectionExistsAsync(collection, cancellationToken))
                {
                    return false;
                }

                throw;
            }
        });

        // Indexes are idempotent in Qdrant; creating them on every run repairs a half-finished one.
        await QdrantVectorStore.Call(async () =>
        {
            await _client.CreatePayloadIndexAsync(collection, QdrantVectorStore.DocumentIdField, PayloadSchemaType.Keyword, cancellationToken: cancellationToken);
            await _client.CreatePayloadIndexAsync(collection, QdrantVectorStore.ChunkField, PayloadSchemaType.Integer, cancellationToken: cancellationToken);
            await _client.CreatePayloadIndexAsync(collection, QdrantVectorStore.MetadataField, PayloadSchemaType.Keyword, cancellationToken: cancellationToken);
            return true;
        });
        if (created)
        {
            _logger.LogInformation("Provisioned Qdrant collection {Collection}", collection);
        }

        return created;
    }

    public async Task<bool> DeprovisionAsync(string dataPartition, CancellationToken cancellationToken = default)
    {
        var collection = QdrantCollectionNames.For(_keys.KeyForPartition(dataPartition));
        var deleted = await QdrantVectorStore.Call(async () =>
        {
            if (!await _client.CollectionExistsAsync(collection, cancellationToken))
            {
                return false;
            }

            await _client.DeleteCollectionAsync(collection, cancellationToken: cancellationToken);
            return true;
        });
        if (deleted)
        {
            _logger.LogInformation("Deleted Qdrant collection {Collection}", collection);
        }

        return deleted;
    }

    public void Dispose() => _client.Dispose();
}
