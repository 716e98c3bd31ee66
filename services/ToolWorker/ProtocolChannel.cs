using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using McpPlatform.ToolWorker.Protocol;

namespace McpPlatform.ToolWorker;

/// <summary>
/// The worker's end of the pipes: reads host lines (at most <see cref="MaxLineBytes"/>) from stdin
/// and writes worker lines to stdout, one JSON object per line, flushed at once. The only writer of
/// stdout in the process.
/// </summary>
internal sealed class ProtocolChannel(Stream input, Stream output)
{
    /// <summary>The longest host line accepted, without its newline.</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    private const int InitialBuffer = 64 * 1024;

    // The host parses what we write, so escaping non-ASCII text for HTML safety only makes lines
    // longer; newlines and quotes are still escaped, so a line stays one line.
    private static readonly JsonWriterOptions _writerOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = ScriptOutput.MaxValueDepth + 8,
    };

    private readonly ArrayBufferWriter<byte> _written = new(4096);
    private byte[] _buffer = new byte[InitialBuffer];
    private int _start;
    private int _end;
    private int _scanned;

    /// <summary>The next host message, or null when stdin is closed between lines.</summary>
    /// <exception cref="ProtocolViolationException">Unparseable, too long, or cut off by end of input.</exception>
    public HostMessage? Read()
    {
        var line = ReadLine();
        if (line is null)
        {
            return null;
        }

        HostMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(line.Value.Span, ToolWorkerJsonContext.Default.HostMessage);
        }
        catch (JsonException)
        {
            throw new ProtocolViolationException("unparseable line");
        }

        // Release a buffer a large input grew, so an idle worker stays small.
        if (_buffer.Length > InitialBuffer && _start == _end)
        {
            _buffer = new byte[InitialBuffer];
            _start = _end = _scanned = 0;
        }

        return message is { Type: not null } ? message : throw new ProtocolViolationException("line without type");
    }

    /// <summary>Writes one message as one line and flushes it.</summary>
    public void Write(WorkerMessage message)
    {
        var bytes = Serialize(message);
        output.Write(bytes);
        output.Flush();
    }

    /// <summary>The message's line (with its newline), in a buffer reused by the next call.</summary>
    public ReadOnlySpan<byte> Serialize(WorkerMessage message)
    {
        _written.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_written, _writerOptions))
        {
            JsonSerializer.Serialize(writer, message, ToolWorkerJsonContext.Default.WorkerMessage);
        }

        _written.GetSpan(1)[0] = (byte)'\n';
        _written.Advance(1);
        return _written.WrittenSpan;
    }

    private ReadOnlyMemory<byte>? ReadLine()
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var lineEnd = _scanned + newline;
                if (lineEnd - _start > MaxLineBytes)
                {
                    throw new ProtocolViolationException("line too long");
                }

                var line = _buffer.AsMemory(_start, lineEnd - _start);
                _start = _scanned = lineEnd + 1;
                return line;
            }

            _scanned = _end;
            if (_end - _start > MaxLineBytes)
            {
                throw new ProtocolViolationException("line too long");
            }

            MakeRoom();
            var read = input.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                return _end == _start ? null : throw new ProtocolViolationException("end of input inside a line");
            }

            _end += read;
        }
    }

    private void MakeRoom()
    {
        if (_end < _buffer.Length)
        {
            return;
        }

        var pending = _end - _start;
        var target = _buffer;
        if (pending >= _buffer.Length / 2 && _buffer.Length < MaxLineBytes + 2)
        {
            target = new byte[Math.Min(_buffer.Length * 2, MaxLineBytes + 2)];
        }

        // Keep the unread bytes (the lines before them were handed out and used) at the front.
        _buffer.AsSpan(_start, pending).CopyTo(target);
        _buffer = target;
        _scanned -= _start;
        _end = pending;
        _start = 0;
    }
}
