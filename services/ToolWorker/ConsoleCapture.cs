using System.Text;

namespace McpPlatform.ToolWorker;

/// <summary>
/// The run's console: each call is one line; lines are joined with "\n". Keeps the UTF-8 size of
/// the joined text, and ends the run (keeping what fits) the moment it exceeds the output limit.
/// </summary>
internal sealed class ConsoleCapture(int maxBytes)
{
    private readonly StringBuilder _text = new();
    private long _bytes;
    private int _lines;

    /// <summary>UTF-8 bytes of <see cref="Text"/>.</summary>
    public long Bytes => _bytes;

    /// <summary>Whether the console outgrew the limit (the kept text is cut to it).</summary>
    public bool Exceeded { get; private set; }

    /// <summary>The captured text, or null when nothing was logged.</summary>
    public string? Text => _lines == 0 ? null : _text.ToString();

    /// <summary>Adds a line.</summary>
    /// <exception cref="OutputLimitExceededException">The console now exceeds the limit.</exception>
    public void Append(string line)
    {
        line = SafeText.WellFormed(line);
        var separator = _lines > 0 ? 1 : 0;
        var size = separator + (long)Encoding.UTF8.GetByteCount(line);
        if (_bytes + size > maxBytes)
        {
            var room = (int)(maxBytes - _bytes);
            if (room >= separator + 1)
            {
                _text.Append('\n', separator).Append(SafeText.Utf8Prefix(line, room - separator));
                _lines++;
            }

            _bytes = Encoding.UTF8.GetByteCount(_text.ToString());
            Exceeded = true;
            throw new OutputLimitExceededException();
        }

        if (separator == 1)
        {
            _text.Append('\n');
        }

        _text.Append(line);
        _bytes += size;
        _lines++;
    }
}
