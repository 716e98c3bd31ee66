using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace McpPlatform.Knowledge.Store.Embedded;

/// <summary>
/// The append-only file of one partition.
/// <para>
/// Format: a 16-byte header (<c>MPVS</c>, format version, dimensions), then records of
/// <c>[u32 payload length][8 bytes: SHA-256(payload) truncated][payload]</c>. A payload is a whole
/// document (put) or a delete, so replacing all chunks of a document is one record: it is either
/// entirely in the file or not at all. Every append is fsynced before the caller is told it
/// succeeded; a failed append is cut off again, so nothing is half-written.
/// </para>
/// <para>
/// Why this design: one writer per partition, whole-document records and an in-memory index make
/// a log the simplest crash-safe structure. A crash can only leave a torn tail (a partial last
/// record): on open, the first record whose length or checksum does not hold ends the log; the
/// bytes after it are copied aside to <c>vectors.log.torn-*</c> for inspection and cut off.
/// Compaction rewrites live documents to a temporary file, fsyncs it and renames it over the log
/// (atomic on POSIX), so a crash during compaction leaves the old or the new file, never a mix.
/// </para>
/// </summary>
internal sealed class PartitionLog : IDisposable
{
    public const string FileName = "vectors.log";
    public const string CompactingFileName = "vectors.log.compacting";
    public const int HeaderBytes = 16;
    public const int RecordHeaderBytes = 12;

    private const byte PutRecord = 1;
    private const byte DeleteRecord = 2;
    private const ushort FormatVersion = 1;
    private static readonly byte[] Magic = "MPVS"u8.ToArray();
    private static readonly UTF8Encoding Utf8 = new(false, true);

    private readonly string _directory;
    private readonly int _dimensions;
    private readonly ILogger _logger;
    private FileStream _stream;

    private PartitionLog(string directory, int dimensions, FileStream stream, ILogger logger)
    {
        _directory = directory;
        _dimensions = dimensions;
        _stream = stream;
        _logger = logger;
    }

    /// <summary>Bytes in the file, header included.</summary>
    public long Length => _stream.Length;

    public string Path => System.IO.Path.Combine(_directory, FileName);

    /// <summary>Largest payload a valid record can have; a longer length field means a torn or corrupt tail.</summary>
    public static long MaxPayloadBytes(int dimensions) =>
        (1L << 20) + (long)VectorStoreLimits.MaxChunksPerDocument * (VectorStoreLimits.MaxChunkTextBytes + 8 + (dimensions * 4L));

    /// <summary>Opens (creating if needed) the log and replays every intact record into <paramref name="apply"/>.</summary>
    public static PartitionLog Open(string directory, int dimensions, Action<LogRecord, int> apply, ILogger logger)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        File.Delete(System.IO.Path.Combine(directory, CompactingFileName));
        if (!File.Exists(path))
        {
            CreateEmpty(directory, dimensions);
        }

        long end, length;
        using (var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16))
        {
            ReadHeader(reader, dimensions, path);
            end = Replay(reader, dimensions, apply);
            length = reader.Length;
        }

        // Unbuffered: an append is one write then fsync, and a failed one can be cut back exactly.
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        try
        {
            if (end < length)
            {
                CutTornTail(stream, end, directory, logger);
            }

            stream.Seek(0, SeekOrigin.End);
            return new PartitionLog(directory, dimensions, stream, logger);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends one record and fsyncs. On failure the file is cut back, so the record is absent.</summary>
    /// <returns>Bytes the record occupies in the file.</returns>
    public int Append(byte[] payload)
    {
        var start = _stream.Length;
        try
        {
            _stream.Seek(start, SeekOrigin.Begin);
            _stream.Write(RecordHeader(payload));
            _stream.Write(payload);
            _stream.Flush(flushToDisk: true);
            return RecordHeaderBytes + payload.Length;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            try
            {
                _stream.SetLength(start);
                _stream.Flush(flushToDisk: true);
            }
            catch (IOException cutError)
            {
                // The record may be torn on disk; the next open cuts it off as a torn tail.
                _logger.LogError(cutError, "Could not cut a failed append back in {Path}", Path);
            }

            throw new KnowledgeStoreException(KnowledgeStoreErrorKind.Unavailable, "The knowledge store could not write to disk.", error);
        }
    }

    /// <summary>
    /// Replaces the log by one holding only <paramref name="records"/>: written to a temporary file,
    /// fsynced, renamed over the log. On failure the old log stays as it was.
    /// </summary>
    /// <returns>The file size of each record, in order.</returns>
    public List<int> Rewrite(IEnumerable<byte[]> records)
    {
        var temporary = System.IO.Path.Combine(_directory, CompactingFileName);
        var sizes = new List<int>();
        try
        {
            using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                output.Write(Header(_dimensions));
                foreach (var payload in records)
                {
                    output.Write(RecordHeader(payload));
                    output.Write(payload);
                    sizes.Add(RecordHeaderBytes + payload.Length);
                }

                output.Flush(flushToDisk: true);
            }

            _stream.Dispose();
            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            ReopenForAppend();
            throw new KnowledgeStoreException(KnowledgeStoreErrorKind.Unavailable, "The knowledge store could not compact its log.", error);
        }

        // .NET cannot fsync a directory; ext4/xfs order the rename after the fsynced data
        // (the old or the new file survives a crash, both complete).
        ReopenForAppend();
        return sizes;
    }

    public void Dispose() => _stream.Dispose();

    public static byte[] EncodePut(
        string documentId, string title, string? sourceUrl, string? contentHash, DateTimeOffset updatedAt,
        IReadOnlyDictionary<string, string> metadata, IReadOnlyList<string> texts, Func<int, ReadOnlyMemory<float>> vector, int dimensions)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Utf8, leaveOpen: true))
        {
            writer.Write(PutRecord);
            writer.Write(documentId);
            writer.Write(title);
            WriteOptional(writer, sourceUrl);
            WriteOptional(writer, contentHash);
            writer.Write(updatedAt.ToUnixTimeMilliseconds());
            writer.Write(metadata.Count);
            foreach (var (key, value) in metadata)
            {
                writer.Write(key);
                writer.Write(value);
            }

            writer.Write(texts.Count);
            for (var i = 0; i < texts.Count; i++)
            {
                writer.Write(texts[i]);
                var span = vector(i).Span;
                if (span.Length != dimensions)
                {
                    throw new InvalidOperationException("Vector length does not match the log's dimensions.");
                }

                if (BitConverter.IsLittleEndian)
                {
                    writer.Write(MemoryMarshal.AsBytes(span));
                }
                else
                {
                    foreach (var value in span)
                    {
                        writer.Write(value);
                    }
                }
            }
        }

        return buffer.ToArray();
    }

    public static byte[] EncodeDelete(string documentId)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Utf8, leaveOpen: true))
        {
            writer.Write(DeleteRecord);
            writer.Write(documentId);
        }

        return buffer.ToArray();
    }

    private static LogRecord Decode(byte[] payload, int dimensions)
    {
        using var reader = new BinaryReader(new MemoryStream(payload, writable: false), Utf8);
        var type = reader.ReadByte();
        var documentId = reader.ReadString();
        if (type == DeleteRecord)
        {
            return new LogRecord(documentId, null);
        }

        if (type != PutRecord)
        {
            throw new InvalidDataException($"Unknown record type {type}.");
        }

        var title = reader.ReadString();
        var sourceUrl = ReadOptional(reader);
        var contentHash = ReadOptional(reader);
        var updatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
        var metadataCount = reader.ReadInt32();
        if (metadataCount is < 0 or > VectorStoreLimits.MaxMetadataEntries)
        {
            throw new InvalidDataException("Metadata count out of range.");
        }

        var metadata = new Dictionary<string, string>(metadataCount, StringComparer.Ordinal);
        for (var i = 0; i < metadataCount; i++)
        {
            metadata[reader.ReadString()] = reader.ReadString();
        }

        var chunkCount = reader.ReadInt32();
        if (chunkCount is < 1 or > VectorStoreLimits.MaxChunksPerDocument)
        {
            throw new InvalidDataException("Chunk count out of range.");
        }

        var texts = new string[chunkCount];
        var vectors = new float[chunkCount][];
        var bytes = new byte[dimensions * sizeof(float)];
        for (var i = 0; i < chunkCount; i++)
        {
            texts[i] = reader.ReadString();
            if (reader.Read(bytes, 0, bytes.Length) != bytes.Length)
            {
                throw new EndOfStreamException();
            }

            var vector = new float[dimensions];
            for (var d = 0; d < dimensions; d++)
            {
                vector[d] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(d * sizeof(float)));
            }

            vectors[i] = vector;
        }

        if (reader.BaseStream.Position != payload.Length)
        {
            throw new InvalidDataException("Trailing bytes in record.");
        }

        return new LogRecord(documentId, new LogDocument(title, sourceUrl, contentHash, updatedAt, metadata, texts, vectors));
    }

    private static long Replay(FileStream stream, int dimensions, Action<LogRecord, int> apply)
    {
        var maxPayload = MaxPayloadBytes(dimensions);
        var position = (long)HeaderBytes;
        var length = stream.Length;
        Span<byte> header = stackalloc byte[RecordHeaderBytes];
        stream.Seek(position, SeekOrigin.Begin);
        while (position < length)
        {
            if (length - position < RecordHeaderBytes)
            {
                return position;
            }

            stream.ReadExactly(header);
            var payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (payloadLength == 0 || payloadLength > maxPayload || payloadLength > length - position - RecordHeaderBytes)
            {
                return position;
            }

            var payload = new byte[payloadLength];
            stream.ReadExactly(payload);
            if (!Checksum(payload).SequenceEqual(header[4..]))
            {
                return position;
            }

            LogRecord record;
            try
            {
                record = Decode(payload, dimensions);
            }
            catch (Exception error) when (error is InvalidDataException or EndOfStreamException or DecoderFallbackException or FormatException)
            {
                // The checksum held, so these bytes were written by a writer that disagrees with this
                // reader: that is not a torn tail, and cutting it off would destroy acknowledged data.
                throw new KnowledgeStoreException(KnowledgeStoreErrorKind.Corrupt,
                    $"A record at offset {position} of the knowledge log has a valid checksum but cannot be read; the file was left untouched.", error);
            }

            var size = RecordHeaderBytes + (int)payloadLength;
            apply(record, size);
            position += size;
        }

        return position;
    }

    private static void CutTornTail(FileStream stream, long end, string directory, ILogger logger)
    {
        var dropped = stream.Length - end;
        var aside = System.IO.Path.Combine(directory, $"{FileName}.torn-{DateTime.UtcNow:yyyyMMddTHHmmssfff}");
        using (var copy = new FileStream(aside, FileMode.Create, FileAccess.Write))
        {
            stream.Seek(end, SeekOrigin.Begin);
            stream.CopyTo(copy);
            copy.Flush(flushToDisk: true);
        }

        stream.SetLength(end);
        stream.Flush(flushToDisk: true);
        logger.LogWarning("Knowledge log {Path} had a torn tail: cut {Bytes} bytes at offset {Offset}, copied aside to {Aside}",
            System.IO.Path.Combine(directory, FileName), dropped, end, aside);
    }

    private static void CreateEmpty(string directory, int dimensions)
    {
        var temporary = System.IO.Path.Combine(directory, FileName + ".new");
        using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            output.Write(Header(dimensions));
            output.Flush(flushToDisk: true);
        }

        File.Move(temporary, System.IO.Path.Combine(directory, FileName), overwrite: false);
    }

    private static void ReadHeader(FileStream stream, int dimensions, string path)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        if (stream.Length < HeaderBytes)
        {
            throw new KnowledgeStoreException(KnowledgeStoreErrorKind.Corrupt, $"The knowledge log {path} is shorter than its header.");
        }

        stream.ReadExactly(header);
        if (!header[..4].SequenceEqual(Magic) || BinaryPrimitives.ReadUInt16LittleEndian(header[4..]) != FormatVersion)
        {
            throw new KnowledgeStoreException(KnowledgeStoreErrorKind.Corrupt, $"{path} is not a knowledge log of format version {FormatVersion}.");
        }

        var stored = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (stored != dimensions)
        {
            throw new KnowledgeStoreException(KnowledgeStoreErrorKind.Corrupt,
                $"The knowledge log {path} holds {stored}-dimensional vectors but the store is configured for {dimensions}; re-ingest or restore the matching embedding model.");
        }
    }

    private static byte[] Header(int dimensions)
    {
        var header = new byte[HeaderBytes];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), dimensions);
        return header;
    }

    private static byte[] RecordHeader(byte[] payload)
    {
        var header = new byte[RecordHeaderBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)payload.Length);
        Checksum(payload).CopyTo(header.AsSpan(4));
        return header;
    }

    private static byte[] Checksum(byte[] payload) => SHA256.HashData(payload)[..8];

    private void ReopenForAppend()
    {
        _stream = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        _stream.Seek(0, SeekOrigin.End);
    }

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover temporary file is deleted on the next open.
        }
    }
}

/// <summary>A replayed record: a document put, or a delete when <see cref="Document"/> is null.</summary>
internal sealed record LogRecord(string DocumentId, LogDocument? Document);

internal sealed record LogDocument(
    string Title,
    string? SourceUrl,
    string? ContentHash,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, string> Metadata,
    string[] Texts,
    float[][] Vectors);
