using System.Buffers;
using System.Text;

namespace McpPlatform.Core;

/// <summary>
/// The platform's one definition of valid text: every surrogate is half of a pair (UTF-16), or the
/// bytes decode without replacement (UTF-8). Text that breaks it cannot be stored, embedded or
/// passed on faithfully, and is refused with <see cref="ToolErrorCodes.InvalidText"/>.
/// </summary>
public static class UnicodeText
{
    /// <summary>Whether <paramref name="text"/> has no unpaired surrogate.</summary>
    /// <param name="text">UTF-16 text.</param>
    /// <returns>True when the text converts to UTF-8 without loss.</returns>
    public static bool IsValid(ReadOnlySpan<char> text)
    {
        // Vectorised skip to the next surrogate: most text has none.
        while (!text.IsEmpty)
        {
            var at = text.IndexOfAnyInRange('\ud800', '\udfff');
            if (at < 0)
            {
                return true;
            }

            if (Rune.DecodeFromUtf16(text[at..], out _, out var consumed) != OperationStatus.Done)
            {
                return false;
            }

            text = text[(at + consumed)..];
        }

        return true;
    }

    /// <summary>Whether <paramref name="utf8"/> is valid UTF-8: the byte form of <see cref="IsValid"/>.</summary>
    /// <param name="utf8">UTF-8 bytes.</param>
    /// <returns>True when the bytes decode without replacement.</returns>
    public static bool IsValidUtf8(ReadOnlySpan<byte> utf8) => System.Text.Unicode.Utf8.IsValid(utf8);
}
