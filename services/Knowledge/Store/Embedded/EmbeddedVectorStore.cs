using System.Collections.Concurrent;
using McpPlatform.Core;
using McpPlatform.Knowledge.Store.Embedded;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpPlatform.Knowledge.Store;

/// <summary>
/// The in-process store for local mode: one folder per data partition under a root, named by
/// the partition's opaque key (<see cref="TenantPartitionKeys"/>), holding one append-only log
/// (see <c>PartitionLog</c>). A partition is loaded into memory on first open and searched
/// exactly. Partitions are created on first open; there is no privilege boundary inside one
/// process to protect, unlike Qdrant.
/// </summary>
public sealed class EmbeddedVectorStore : IVectorStore, IVectorStoreProvisioner, IDisposable
{
    /// <summary>Default cap on chunks per partition: 1M × 384 floats ≈ 1.5 GiB of vectors.</summary>
    public const int DefaultMaxChunksPerPartition = 1_000_000;

    private readonly string _root;
    private readonly TenantPartitionKeys _keys;
    private readonly int _maxChunks;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<EmbeddedPartition>> _partitions = new(StringComparer.Ordinal);
    private volatile bool _disposed;

    /// <param name="rootPath">Folder holding one subfolder per partition; created if missing.</param>
    /// <param name="partitionKeys">Derives folder names from data partitions.</param>
    /// <param name="dimensions">Vector length (384 for all-MiniLM-L6-v2).</param>
    /// <param name="maxChunksPerPartition">Cap on stored chunks per partition (memory bound).</param>
    /// <param name="logger">Logs recoveries and compactions.</param>
    /// <param name="timeProvider">Clock for <see cref="DocumentSummary.UpdatedAt"/>.</param>
    public EmbeddedVectorStore(
        string rootPath,
        TenantPartitionKeys partitionKeys,
        int dimensions,
        int maxChunksPerPartition = DefaultMaxChunksPerPartition,
        ILogger<EmbeddedVectorStore>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        ArgumentNullException.ThrowIfNull(partitionKeys);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, 8192);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunksPerPartition, 1);
        _root = Path.GetFullPath(rootPath);
        Directory.CreateDirectory(_root);
        _keys = partitionKeys;
        Dimensions = dimensions;
        _maxChunks = maxChunksPerPartition;
        _logger = logger ?? NullLogger<EmbeddedVectorStore>.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    public int Dimensions { get; }

    public ValueTask<ITenantVectorScope> OpenAsync(TenantContext tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        cancellationToken.ThrowIfCancellationRequested();
        var partition = Partition(_keys.KeyFor(tenant));
        return ValueTask.FromResult<ITenantVectorScope>(new EmbeddedTenantScope(partition, Dimensions));
    }

    public Task<bool> ProvisionAsync(string dataPartition, CancellationToken cancellationToken = default)
    {
        var key = _keys.KeyForPartition(dataPartition);
        var existed = Directory.Exists(PartitionDirectory(key));
        Partition(key);
        return Task.FromResult(!existed);
    }

    public Task<bool> DeprovisionAsync(string dataPartition, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var key = _keys.KeyForPartition(dataPartition);
        if (_partitions.TryRemove(key, out var open) && open.IsValueCreated)
        {
            open.Value.Dispose();
        }

        var directory = PartitionDirectory(key);
        if (!Directory.Exists(directory))
        {
            return Task.FromResult(false);
        }

        Directory.Delete(directory, recursive: true);
        return Task.FromResult(true);
    }

    /// <summary>Closes every open partition (files and locks). Data stays on disk for the next store.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var key in _partitions.Keys)
        {
            if (_partitions.TryRemove(key, out var partition) && partition.IsValueCreated)
            {
                partition.Value.Dispose();
            }
        }
    }

    private EmbeddedPartition Partition(string key)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var lazy = _partitions.GetOrAdd(key, k => new Lazy<EmbeddedPartition>(
            () => EmbeddedPartition.Open(PartitionDirectory(k), Dimensions, _maxChunks, _time, _logger),
            LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // Do not cache a failed load: the next open retries (e.g. after the other process exits).
            _partitions.TryRemove(new KeyValuePair<string, Lazy<EmbeddedPartition>>(key, lazy));
            throw;
        }
    }

    // The key is base32 of an HMAC: no separator, dot or other character can appear in it.
    private string PartitionDirectory(string key) =>
        TenantPartitionKeys.IsKeyShaped(key) ? Path.Combine(_root, key) : throw new InvalidOperationException("Partition key has an unexpected shape.");

    private sealed class EmbeddedTenantScope(EmbeddedPartition partition, int dimensions) : ITenantVectorScope
    {
        public int Dimensions => dimensions;

        public Task<UpsertResult> UpsertDocumentAsync(KnowledgeDocument document, CancellationToken cancellationToken = default) =>
            partition.UpsertAsync(VectorStoreInput.Document(document, dimensions), cancellationToken);

        public Task<IReadOnlyList<VectorSearchHit>> SearchAsync(
            ReadOnlyMemory<float> query, int topK, IReadOnlyDictionary<string, string>? filter = null, CancellationToken cancellationToken = default)
        {
            var k = VectorStoreInput.TopK(topK);
            var normalised = VectorStoreInput.Query(query.Span, dimensions);
            var pairs = VectorStoreInput.Filter(filter);
            return Task.FromResult(partition.Search(normalised, k, pairs, cancellationToken));
        }

        public Task<DocumentPage> ListDocumentsAsync(int pageSize, string? cursor = null, CancellationToken cancellationToken = default)
        {
            var size = VectorStoreInput.PageSize(pageSize);
            var after = cursor is null ? null : VectorStoreInput.DecodeCursor(cursor);
            return Task.FromResult(partition.List(size, after));
        }

        public Task<StoredDocument?> GetDocumentAsync(string documentId, CancellationToken cancellationToken = default) =>
            Task.FromResult(partition.Get(VectorStoreInput.DocumentId(documentId)));

        public Task<bool> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken = default) =>
            partition.DeleteAsync(VectorStoreInput.DocumentId(documentId), cancellationToken);

        public IAsyncEnumerable<StoredDocument> ExportAsync(bool includeVectors = false, CancellationToken cancellationToken = default) =>
            partition.ExportAsync(includeVectors, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
