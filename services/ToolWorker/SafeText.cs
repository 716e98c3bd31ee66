using System.Text;

namespace McpPlatform.ToolWorker;

/// <summary>
/// Script-made text on its way into a protocol line: lone UTF-16 surrogates (legal in JavaScript
/// strings, not encodable as UTF-8) become U+FFFD, and messages are capped.
/// </summary>
internal static class SafeText
{
    /// <summary>The longest error message the worker writes, in characters.</summary>
    public const int MaxMessageChars = 1000;

    /// <summary>The text with every lone surrogate replaced by U+FFFD (the same string when there is none).</summary>
    public static string WellFormed(string text) =>
        text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0 || IsWellFormed(text) ? text : Replace(text);

    /// <summary>A well-formed message of at most <see cref="MaxMessageChars"/> characters.</summary>
    public static string Message(string text)
    {
        text = WellFormed(text);
        if (text.Length <= MaxMessageChars)
        {
            return text;
        }

        var cut = MaxMessageChars - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }

    /// <summary>The longest prefix of <paramref name="text"/> whose UTF-8 form fits in <paramref name="maxBytes"/>.</summary>
    public static string Utf8Prefix(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var bytes = 0;
        var index = 0;
        while (index < text.Length)
        {
            var width = char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
            var size = width == 2 ? 4 : text[index] < 0x80 ? 1 : text[index] < 0x800 ? 2 : 3;
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            index += width;
        }

        return text[..index];
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Replace(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                if (char.IsHighSurrogate(source[i]) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
                {
                    span[i] = source[i];
                    span[i + 1] = source[i + 1];
                    i++;
                }
                else
                {
                    span[i] = char.IsSurrogate(source[i]) ? '\uFFFD' : source[i];
                }
            }
        });
}
