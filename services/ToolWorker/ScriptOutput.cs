using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Jint;
using Jint.Native;

namespace McpPlatform.ToolWorker;

/// <summary>The completion value as JSON: what <c>JSON.stringify</c> gives in the engine, made safe to embed.</summary>
internal static class ScriptOutput
{
    /// <summary>
    /// The deepest value the worker sends: the host reads done lines with ToolWorkerJsonContext's
    /// default MaxDepth (64, the line's own object included), so deeper would fail there, not here.
    /// Jint's JSON.parse stops at 64 as well.
    /// </summary>
    public const int MaxValueDepth = 60;

    private static readonly JsonDocumentOptions _documentOptions = new() { MaxDepth = MaxValueDepth };

    /// <summary>The UTF-8 JSON of <paramref name="value"/>, or false when it has none (undefined, a function, a symbol).</summary>
    public static bool TryStringify(Engine engine, JsValue value, ArrayBufferWriter<byte> json)
    {
        if (!new Jint.Native.Json.JsonSerializer(engine).Serialize(value, json))
        {
            return false;
        }

        ReplaceLoneSurrogateEscapes(MemoryMarshal.AsMemory(json.WrittenMemory).Span);
        return true;
    }

    /// <summary>The JSON as an element of the done line.</summary>
    /// <exception cref="JsonException">Nested deeper than <see cref="MaxValueDepth"/>.</exception>
    public static JsonElement ToElement(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = _documentOptions.MaxDepth });
        return JsonElement.ParseValue(ref reader);
    }

    // JSON.stringify writes a lone surrogate as the escape \udXXX (well-formed JSON.stringify);
    // System.Text.Json refuses to write such a string, so it becomes \ufffd (same length, in place).
    private static void ReplaceLoneSurrogateEscapes(Span<byte> json)
    {
        if (json.IndexOf("\\u"u8) < 0)
        {
            return;
        }

        var pendingHigh = -1;
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] != (byte)'\\')
            {
                if (pendingHigh >= 0)
                {
                    Replace(json, pendingHigh);
                    pendingHigh = -1;
                }

                continue;
            }

            if (json[i + 1] != (byte)'u')
            {
                if (pendingHigh >= 0)
                {
                    Replace(json, pendingHigh);
                    pendingHigh = -1;
                }

                i++;
                continue;
            }

            var unit = Hex(json.Slice(i + 2, 4));
            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (pendingHigh >= 0)
                {
                    Replace(json, pendingHigh);
                }

                pendingHigh = i;
            }
            else if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                if (pendingHigh >= 0 && pendingHigh == i - 6)
                {
                    pendingHigh = -1;
                }
                else
                {
                    if (pendingHigh >= 0)
                    {
                        Replace(json, pendingHigh);
                        pendingHigh = -1;
                    }

                    Replace(json, i);
                }
            }
            else if (pendingHigh >= 0)
            {
                Replace(json, pendingHigh);
                pendingHigh = -1;
            }

            i += 5;
        }

        if (pendingHigh >= 0)
        {
            Replace(json, pendingHigh);
        }
    }

    private static void Replace(Span<byte> json, int escape) => "\\ufffd"u8.CopyTo(json[escape..]);

    private static int Hex(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var digit in digits)
        {
            value = (value << 4) | digit switch
            {
                >= (byte)'0' and <= (byte)'9' => digit - '0',
                >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
                _ => 0,
            };
        }

        return value;
    }
}
