using System.Globalization;
using System.Text.Json;
using McpPlatform.Core;
using Microsoft.Extensions.Logging;

namespace McpPlatform.Audit;

/// <summary>
/// The emitter's durable buffer: append-only segment files of JSON lines in one folder. A
/// segment is written to a temporary name, fsynced, then renamed, so a segment either exists
/// whole or not at all; the shipper deletes it only after the collector acknowledged every
/// record in it. Bounded by <see cref="AuditOptions.MaxSpoolBytes"/>: a segment that does not
/// fit is refused and its records counted as dropped (docs/telemetry.md, "Overflow").
/// </summary>
internal sealed partial class AuditSpool : IDisposable
{
    private const string SegmentExtension = ".jsonl";
    private const string TemporaryExtension = ".tmp";
    private const string DeadFolderName = "dead";

    /// <summary>How long a sibling folder must have been untouched before it can be adopted.</summary>
    internal static readonly TimeSpan OrphanMinimumAge = TimeSpan.FromSeconds(30);

    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly FileStream _lock;
    private readonly ILogger _logger;
    private readonly string _configured;
    private long _bytes;
    private long _nextSequence;
    private long _freeBytes = long.MaxValue;
    private long _freeCheckedAt = long.MinValue / 2;

    public AuditSpool(string directory, long maxBytes, ILogger logger)
    {
        directory = Path.TrimEndingDirectorySeparator(directory);
        _logger = logger;
        _maxBytes = maxBytes;
        (_directory, _lock) = TakeFolder(directory);
        Directory.CreateDirectory(Path.Combine(_directory, DeadFolderName));

        // A temporary file is a segment whose write did not finish: its records were never
        // acknowledged to anyone as durable, and it may be truncated, so it is not shipped.
        foreach (var partial in Directory.EnumerateFiles(_directory, "*" + TemporaryExtension))
        {
            File.Delete(partial);
        }

        var segments = Segments();
        _bytes = Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories)
            .Where(path => path != LockPath(_directory))
            .Sum(path => new FileInfo(path).Length);
        // The next segment gets _nextSequence + 1.
        _nextSequence = segments.Count == 0 ? 0 : SequenceOf(segments[^1]);
        if (segments.Count > 0)
        {
            LogRecovered(_logger, segments.Count, _directory);
        }

        _configured = directory;
        AdoptOrphans();
    }

    /// <summary>
    /// Takes over the segments (and dead letters) of sibling folders (<c>&lt;folder&gt;-&lt;pid&gt;</c>)
    /// whose process is gone: a second instance of the service on this machine spooled there, and
    /// nobody else would ever ship them. A sibling whose lock is still held is alive and left
    /// alone. Only the process holding the configured folder adopts. Returns the segments adopted.
    /// </summary>
    public int AdoptOrphans()
    {
        if (_directory != _configured || Path.GetDirectoryName(_directory) is not { } parent || !Directory.Exists(parent))
        {
            return 0;
        }

        var adopted = 0;
        var prefix = Path.GetFileName(_directory) + "-";
        foreach (var sibling in Directory.EnumerateDirectories(parent, prefix + "*"))
        {
            // A sibling created moments ago may belong to a process still starting (between
            // creating its folder and locking it): leave it.
            if (!Path.GetFileName(sibling)[prefix.Length..].All(char.IsAsciiDigit)
                || DateTime.UtcNow - Directory.GetLastWriteTimeUtc(sibling) < OrphanMinimumAge)
            {
                continue;
            }

            FileStream siblingLock;
            try
            {
                siblingLock = new FileStream(LockPath(sibling), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                continue; // Its process is alive.
            }

            using (siblingLock)
            {
                foreach (var partial in Directory.EnumerateFiles(sibling, "*" + TemporaryExtension))
                {
                    File.Delete(partial);
                }

                foreach (var segment in Directory.EnumerateFiles(sibling, "*" + SegmentExtension).Order(StringComparer.Ordinal))
                {
                    var length = new FileInfo(segment).Length;
                    File.Move(segment, NextSegmentPath());
                    Interlocked.Add(ref _bytes, length);
                    adopted++;
                }

                var dead = Path.Combine(sibling, DeadFolderName);
                if (Directory.Exists(dead))
                {
                    foreach (var letter in Directory.EnumerateFiles(dead))
                    {
                        var length = new FileInfo(letter).Length;
                        File.Move(letter, Path.Combine(_directory, DeadFolderName, $"{Path.GetFileName(sibling)}-{Path.GetFileName(letter)}"));
                        Interlocked.Add(ref _bytes, length);
                    }
                }
            }

            Directory.Delete(sibling, recursive: true);
        }

        if (adopted > 0)
        {
            LogAdopted(_logger, adopted, parent);
        }

        return adopted;
    }

    private string NextSegmentPath() => Path.Combine(_directory,
        Interlocked.Increment(ref _nextSequence).ToString("D16", CultureInfo.InvariantCulture) + SegmentExtension);

    /// <summary>The folder in use (the configured one, or a sibling when another process holds it).</summary>
    public string Folder => _directory;

    /// <summary>Bytes on disk now (segments and dead letters).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>
    /// Writes one segment durably: the file is fsynced, renamed into place and the folder fsynced,
    /// so once this returns true the segment survives a crash of the process or the machine.
    /// False when it would exceed the cap (nothing written). Throws <see cref="IOException"/> when
    /// the disk refuses (full, read-only); nothing of the segment is left behind then.
    /// </summary>
    public bool TryAppend(IReadOnlyList<AuditRecord> records)
    {
        var buffer = Serialize(records);
        if (Interlocked.Read(ref _bytes) + buffer.Length > _maxBytes)
        {
            return false;
        }

        var final = NextSegmentPath();
        var temporary = final + TemporaryExtension;
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
            {
                file.Write(buffer);
                // One fsync per segment: the writer batches whatever queued meanwhile into one
                // segment, so under load many records share one flush.
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, final);
        }
        catch (IOException)
        {
            // A full disk fails the write or the flush: the partial file would only hold space.
            File.Delete(temporary);
            throw;
        }

        // The rename is durable only once the folder is: without this a machine crash could
        // forget a segment whose records were already acknowledged.
        FolderSync.Flush(_directory);
        Interlocked.Add(ref _bytes, buffer.Length);
        return true;
    }

    /// <summary>
    /// Whether a segment of about <paramref name="bytes"/> would be kept now: under the cap, and
    /// the disk has that much free (read at most every 250 ms). Admission asks this before a tool
    /// runs when the service fails closed (<see cref="AuditSpoolFullBehavior.FailClosed"/>).
    /// </summary>
    public bool HasRoomFor(long bytes)
    {
        if (Interlocked.Read(ref _bytes) + bytes > _maxBytes)
        {
            return false;
        }

        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _freeCheckedAt) >= 250)
        {
            Interlocked.Exchange(ref _freeBytes, FreeBytes(_directory));
            Interlocked.Exchange(ref _freeCheckedAt, now);
        }

        return Interlocked.Read(ref _freeBytes) >= bytes;
    }

    private static long FreeBytes(string directory)
    {
        try
        {
            return new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Unknown: let the write itself decide.
            return long.MaxValue;
        }
    }

    /// <summary>Segments waiting for delivery, oldest first.</summary>
    public List<string> Segments() =>
        [.. Directory.EnumerateFiles(_directory, "*" + SegmentExtension).Order(StringComparer.Ordinal)];

    /// <summary>
    /// The records of a segment as they were written (their JSON, shipped as it is: no parsing and
    /// serialising again); a line that is not one JSON object goes to the dead folder.
    /// </summary>
    public List<SpooledRecord> Read(string segment)
    {
        var bytes = File.ReadAllBytes(segment);
        var records = new List<SpooledRecord>();
        var lineNumber = 0;
        for (var start = 0; start < bytes.Length;)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            end = end < 0 ? bytes.Length : end;
            lineNumber++;
            var line = bytes.AsMemory(start, end - start);
            start = end + 1;
            if (line.IsEmpty)
            {
                continue;
            }

            if (SpooledRecord.IsJsonObject(line.Span))
            {
                records.Add(new SpooledRecord(line));
            }
            else
            {
                LogUnreadable(_logger, segment, lineNumber);
                using var dead = new FileStream(Path.Combine(_directory, DeadFolderName, "unreadable" + SegmentExtension), FileMode.Append, FileAccess.Write);
                dead.Write(line.Span);
                dead.WriteByte((byte)'\n');
            }
        }

        return records;
    }

    /// <summary>Deletes a delivered segment.</summary>
    public void Delete(string segment)
    {
        var length = new FileInfo(segment).Length;
        File.Delete(segment);
        Interlocked.Add(ref _bytes, -length);
    }

    /// <summary>Keeps records the collector refused for good, for an operator to inspect; they count against the cap.</summary>
    public void DeadLetter(IReadOnlyList<SpooledRecord> records, string reason)
    {
        using var stream = new MemoryStream();
        foreach (var record in records)
        {
            stream.Write(record.Json.Span);
            stream.WriteByte((byte)'\n');
        }

        var buffer = stream.ToArray();
        var path = Path.Combine(_directory, DeadFolderName, $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}{SegmentExtension}");
        File.WriteAllBytes(path, buffer);
        Interlocked.Add(ref _bytes, buffer.Length);
        LogDeadLettered(_logger, records.Count, path, reason);
    }

    public void Dispose() => _lock.Dispose();

    private static byte[] Serialize(IReadOnlyList<AuditRecord> records)
    {
        using var stream = new MemoryStream();
        foreach (var record in records)
        {
            JsonSerializer.Serialize(stream, record, AuditJsonContext.Default.AuditRecord);
            stream.WriteByte((byte)'\n');
        }

        return stream.ToArray();
    }

    private static long SequenceOf(string segment) =>
        long.Parse(Path.GetFileNameWithoutExtension(segment), NumberStyles.None, CultureInfo.InvariantCulture);

    private static string LockPath(string directory) => Path.Combine(directory, ".lock");

    // Two processes of one service on one machine must not ship (and delete) each other's
    // segments: the first takes the folder, a second uses a sibling named after its process id.
    private static (string Directory, FileStream Lock) TakeFolder(string directory)
    {
        foreach (var candidate in new[] { directory, $"{directory}-{Environment.ProcessId}" })
        {
            System.IO.Directory.CreateDirectory(candidate);
            try
            {
                return (candidate, new FileStream(LockPath(candidate), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                // Held by another process: try the next candidate.
            }
        }

        throw new IOException($"Could not take the audit spool folder {directory} or a sibling of it.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit spool {Directory} holds {Count} undelivered segments from an earlier run; shipping them.")]
    private static partial void LogRecovered(ILogger logger, int count, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Adopted {Count} undelivered audit segments from spool folders under {Parent} whose process is gone; shipping them.")]
    private static partial void LogAdopted(ILogger logger, int count, string parent);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit spool segment {Segment} line {Line} is unreadable; kept in the dead folder.")]
    private static partial void LogUnreadable(ILogger logger, string segment, int line);

    [LoggerMessage(Level = LogLevel.Error, Message = "collector-tenant refused {Count} audit records for good; kept in {Path}: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, int count, string path, string reason);
}

/// <summary>fsync of a folder (POSIX), which makes a rename in it durable; a no-op elsewhere.</summary>
internal static class FolderSync
{
    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var descriptor = Open(directory, 0);
        if (descriptor < 0)
        {
            throw new IOException($"Could not open the audit spool folder to flush it (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"Could not flush the audit spool folder (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern int Open([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, int flags);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int descriptor);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int descriptor);
}

/// <summary>One audit record as spooled: its JSON object (AuditJsonContext), one line of a segment.</summary>
/// <param name="Json">The record's UTF-8 JSON.</param>
internal readonly record struct SpooledRecord(ReadOnlyMemory<byte> Json)
{
    /// <summary>A record as the spool writes it.</summary>
    public static SpooledRecord Of(AuditRecord record) =>
        new(JsonSerializer.SerializeToUtf8Bytes(record, AuditJsonContext.Default.AuditRecord));

    /// <summary>The record itself (for tests and inspection; delivery ships <see cref="Json"/> as it is).</summary>
    public AuditRecord Parse() =>
        JsonSerializer.Deserialize(Json.Span, AuditJsonContext.Default.AuditRecord) ?? throw new JsonException("The spooled record is null.");

    /// <summary>Whether the bytes are exactly one well-formed JSON object (checked without building anything).</summary>
    public static bool IsJsonObject(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
