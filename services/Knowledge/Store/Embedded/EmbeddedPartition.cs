using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace McpPlatform.Knowledge.Store.Embedded;

/// <summary>
/// One partition in memory: documents by id, their chunk vectors in <see cref="QuantizedVectorBlocks{TOwner}"/>
/// (which also scores them), and the log they are replayed from. Searches run concurrently under a read lock; writes are serialised
/// by a gate, hit the disk first (<see cref="PartitionLog"/>) and only then take the write lock
/// for the brief in-memory swap, so a search sees a document's old chunks or its new ones, never a mix.
/// </summary>
internal sealed class EmbeddedPartition : IDisposable
{
    // Compact when dead records outweigh live ones and the file is big enough to matter.
    private const long CompactionMinimumBytes = 8L << 20;

    private readonly int _dimensions;
    private readonly int _maxChunks;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, DocumentEntry> _documents = new(StringComparer.Ordinal);
    private readonly QuantizedVectorBlocks<SlotOwner> _blocks;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly FileStream _lockFile;
    private PartitionLog? _log;
    private string[]? _sortedIds;
    private int _liveChunks;
    private long _liveRecordBytes;
    private bool _disposed;

    private EmbeddedPartition(string directory, int dimensions, int maxChunks, FileStream lockFile, TimeProvider time, ILogger logger)
    {
        Directory = directory;
        _dimensions = dimensions;
        _maxChunks = maxChunks;
        _blocks = new QuantizedVectorBlocks<SlotOwner>(dimensions);
        _lockFile = lockFile;
        _time = time;
        _logger = logger;
    }

    public string Directory { get; }

    public int ChunkCount
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _liveChunks;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public static EmbeddedPartition Open(string directory, int dimensions, int maxChunks, TimeProvider time, ILogger logger)
    {
        System.IO.Directory.CreateDirectory(directory);
        FileStream lockFile;
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix: a second process, or a
            // second store in this one, on the same folder would corrupt the log.
            lockFile = new FileStream(Path.Combine(directory, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException error)
        {
            throw new KnowledgeStoreException(KnowledgeStoreErrorKind.Locked,
                $"The knowledge partition folder {directory} is in use by another store instance or process.", error);
        }

        var partition = new EmbeddedPartition(directory, dimensions, maxChunks, lockFile, time, logger);
        try
        {
            partition._log = PartitionLog.Open(directory, dimensions, partition.Replay, logger);
            partition.CompactIfWorthIt();
            return partition;
        }
        catch
        {
            partition.Dispose();
            throw;
        }
    }

    public async Task<UpsertResult> UpsertAsync(VectorStoreInput.ValidDocument document, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _documents.TryGetValue(document.DocumentId, out var existing);
            var after = _liveChunks - (existing?.Slots.Length ?? 0) + document.Texts.Length;
            if (after > _maxChunks)
            {
                throw new KnowledgeStoreException(KnowledgeStoreErrorKind.CapacityExceeded,
                    $"This knowledge base would hold {after} chunks; the limit per tenant is {_maxChunks}. Delete documents first.");
            }

            var summary = new DocumentSummary(document.DocumentId, document.Title, document.SourceUrl, document.Metadata,
                document.ContentHash, document.Texts.Length, TruncateToMilliseconds(_time.GetUtcNow()));
            var payload = PartitionLog.EncodePut(summary.DocumentId, summary.Title, summary.SourceUrl, summary.ContentHash,
                summary.UpdatedAt, summary.Metadata, document.Texts, i => document.Vectors[i], _dimensions);
            cancellationToken.ThrowIfCancellationRequested();
            var size = _log!.Append(payload);
            _lock.EnterWriteLock();
            try
            {
                Put(summary, document.Texts, document.Vectors, size);
            }
            finally
            {
                _lock.ExitWriteLock();
            }

            CompactIfWorthIt();
            return new UpsertResult(summary, existing is not null);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<bool> DeleteAsync(string documentId, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_documents.ContainsKey(documentId))
            {
                return false;
            }

            cancellationToken.ThrowIfCancellationRequested();
            _log!.Append(PartitionLog.EncodeDelete(documentId));
            _lock.EnterWriteLock();
            try
            {
                Remove(documentId);
            }
            finally
            {
                _lock.ExitWriteLock();
            }

            CompactIfWorthIt();
            return true;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Exact top-K by cosine (vectors are unit length), best first, ties by document id then chunk index.</summary>
    public IReadOnlyList<VectorSearchHit> Search(float[] query, int topK, IReadOnlyList<KeyValuePair<string, string>> filter, CancellationToken cancellationToken)
    {
        var best = new PriorityQueue<SlotOwner, float>(topK + 1);
        var prepared = _blocks.Prepare(query);
        var metadataFilter = new MetadataFilter(filter);
        _lock.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _blocks.Search(prepared, topK, ref metadataFilter, best, cancellationToken);
        }
        finally
        {
            _lock.ExitReadLock();
        }

        var hits = new List<VectorSearchHit>(best.Count);
        while (best.TryDequeue(out var owner, out var score))
        {
            var summary = owner.Document.Summary;
            hits.Add(new VectorSearchHit(summary.DocumentId, summary.Title, owner.ChunkIndex,
                owner.Document.Texts[owner.ChunkIndex], Math.Clamp(score, -1f, 1f), summary.SourceUrl, summary.Metadata));
        }

        hits.Sort(static (a, b) =>
        {
            var byScore = b.Score.CompareTo(a.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            var byDocument = string.CompareOrdinal(a.DocumentId, b.DocumentId);
            return byDocument != 0 ? byDocument : a.ChunkIndex.CompareTo(b.ChunkIndex);
        });
        return hits;
    }

    public StoredDocument? Get(string documentId)
    {
        _lock.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _documents.TryGetValue(documentId, out var entry) ? Materialise(entry, includeVectors: false) : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public DocumentPage List(int pageSize, string? afterId)
    {
        _lock.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var ids = _sortedIds ??= SortedIds();
            var start = 0;
            if (afterId is not null)
            {
                var found = Array.BinarySearch(ids, afterId, StringComparer.Ordinal);
                start = found >= 0 ? found + 1 : ~found;
            }

            var page = new List<DocumentSummary>(Math.Min(pageSize, Math.Max(0, ids.Length - start)));
            for (var i = start; i < ids.Length && page.Count < pageSize; i++)
            {
                page.Add(_documents[ids[i]].Summary);
            }

            var more = start + page.Count < ids.Length;
            return new DocumentPage(page, more ? VectorStoreInput.EncodeCursor(page[^1].DocumentId) : null);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public async IAsyncEnumerable<StoredDocument> ExportAsync(bool includeVectors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<DocumentEntry> snapshot;
        _lock.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            snapshot = [.. _documents.Values];
        }
        finally
        {
            _lock.ExitReadLock();
        }

        foreach (var entry in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            StoredDocument? document = null;
            _lock.EnterReadLock();
            try
            {
                ObjectDisposedException.ThrowIf(_disposed, this);

                // Skip documents replaced or deleted since the snapshot: their slots may hold other vectors now.
                if (_documents.TryGetValue(entry.Summary.DocumentId, out var current) && ReferenceEquals(current, entry))
                {
                    document = Materialise(entry, includeVectors);
                }
            }
            finally
            {
                _lock.ExitReadLock();
            }

            if (document is not null)
            {
                yield return document;
            }

            // Let other work run between documents of a large export.
            await Task.Yield();
        }
    }

    public void Dispose()
    {
        _writeGate.Wait();
        try
        {
            _lock.EnterWriteLock();
            try
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                _log?.Dispose();
                _lockFile.Dispose();
                _documents.Clear();
                _blocks.Clear();
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void Replay(LogRecord record, int size)
    {
        if (record.Document is null)
        {
            Remove(record.DocumentId);
            return;
        }

        var document = record.Document;
        var summary = new DocumentSummary(record.DocumentId, document.Title, document.SourceUrl,
            document.Metadata.Count == 0 ? VectorStoreInput.EmptyMetadata : new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(document.Metadata.ToDictionary(StringComparer.Ordinal)),
            document.ContentHash, document.Texts.Length, document.UpdatedAt);
        Put(summary, document.Texts, document.Vectors, size);
    }

    private void Put(DocumentSummary summary, string[] texts, float[][] vectors, int recordBytes)
    {
        Remove(summary.DocumentId);
        var entry = new DocumentEntry(summary, texts, new int[texts.Length], recordBytes);
        for (var i = 0; i < texts.Length; i++)
        {
            entry.Slots[i] = _blocks.Add(vectors[i], new SlotOwner(entry, i));
        }

        _documents[summary.DocumentId] = entry;
        _liveChunks += texts.Length;
        _liveRecordBytes += recordBytes;
        _sortedIds = null;
    }

    private void Remove(string documentId)
    {
        if (!_documents.Remove(documentId, out var entry))
        {
            return;
        }

        foreach (var slot in entry.Slots)
        {
            _blocks.Free(slot);
        }

        _liveChunks -= entry.Slots.Length;
        _liveRecordBytes -= entry.RecordBytes;
        _sortedIds = null;
    }

    private void CompactIfWorthIt()
    {
        var log = _log!;
        var garbage = log.Length - PartitionLog.HeaderBytes - _liveRecordBytes;
        if (log.Length < CompactionMinimumBytes || garbage <= _liveRecordBytes)
        {
            return;
        }

        // Runs under the write gate (or during open): no writer can change the documents meanwhile,
        // and searches keep reading the in-memory state, which compaction does not touch.
        var entries = _documents.Values.ToList();
        var before = log.Length;
        var sizes = log.Rewrite(entries.Select(entry => PartitionLog.EncodePut(
            entry.Summary.DocumentId, entry.Summary.Title, entry.Summary.SourceUrl, entry.Summary.ContentHash, entry.Summary.UpdatedAt,
            entry.Summary.Metadata, entry.Texts, i => _blocks.Vector(entry.Slots[i]), _dimensions)));
        _lock.EnterWriteLock();
        try
        {
            _liveRecordBytes = 0;
            for (var i = 0; i < entries.Count; i++)
            {
                entries[i].RecordBytes = sizes[i];
                _liveRecordBytes += sizes[i];
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        _logger.LogInformation("Compacted knowledge log {Path} from {Before} to {After} bytes", log.Path, before, log.Length);
    }

    private StoredDocument Materialise(DocumentEntry entry, bool includeVectors)
    {
        var chunks = new StoredChunk[entry.Texts.Length];
        for (var i = 0; i < chunks.Length; i++)
        {
            chunks[i] = new StoredChunk(i, entry.Texts[i], includeVectors ? _blocks.Vector(entry.Slots[i]).ToArray() : ReadOnlyMemory<float>.Empty);
        }

        return new StoredDocument(entry.Summary, chunks);
    }

    private string[] SortedIds()
    {
        var ids = _documents.Keys.ToArray();
        Array.Sort(ids, StringComparer.Ordinal);
        return ids;
    }

    private static bool Matches(IReadOnlyDictionary<string, string> metadata, IReadOnlyList<KeyValuePair<string, string>> filter)
    {
        foreach (var (key, value) in filter)
        {
            if (!metadata.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    // The log stores milliseconds; keeping the same precision in memory makes reopen byte-identical.
    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());

    private sealed class DocumentEntry(DocumentSummary summary, string[] texts, int[] slots, int recordBytes)
    {
        public DocumentSummary Summary { get; } = summary;

        public string[] Texts { get; } = texts;

        public int[] Slots { get; } = slots;

        public int RecordBytes { get; set; } = recordBytes;
    }

    private sealed record SlotOwner(DocumentEntry Document, int ChunkIndex);

    private struct MetadataFilter(IReadOnlyList<KeyValuePair<string, string>> filter) : QuantizedVectorBlocks<SlotOwner>.IOwnerFilter
    {
        private DocumentEntry? _lastDocument;
        private bool _lastMatched;

        public bool Includes(SlotOwner owner)
        {
            if (filter.Count == 0)
            {
                return true;
            }

            // Chunks of one document sit next to each other: evaluate its filter once.
            if (!ReferenceEquals(owner.Document, _lastDocument))
            {
                _lastDocument = owner.Document;
                _lastMatched = Matches(owner.Document.Summary.Metadata, filter);
            }

            return _lastMatched;
        }
    }
}
