using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Core;
using Microsoft.AspNetCore.Http;

namespace McpPlatform.McpServer.Hosting;

/// <summary>
/// Answers a <c>tools/call</c> whose JSON is not valid Unicode text — raw bytes that are not UTF-8,
/// or an escaped lone surrogate such as <c>"\ud800"</c> — with a tool error
/// (<see cref="ToolErrorCodes.InvalidText"/>) instead of letting it reach the MCP SDK, which fails
/// to bind such a request and answers a bare JSON-RPC "An error occurred.". Runs after
/// authentication and authorization, so unauthenticated callers still get 401. The common case
/// costs one vectorised UTF-8 check and one search for <c>\u</c>; only requests with escapes are parsed.
/// "Valid text" is <see cref="UnicodeText"/>'s definition, the one the tools and stores apply;
/// this is the same rule applied before the SDK's JSON binding, which cannot carry invalid text to the tool.
/// Every platform MCP server uses it (<see cref="McpServerHostingExtensions.UseInvalidTextAnswers"/>).
/// </summary>
internal sealed class InvalidTextMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await next(context);
            return;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var problem = Problem(body.Span);
        if (problem is null)
        {
            context.Request.Body = new MemoryStream(buffer.GetBuffer(), 0, (int)buffer.Length, writable: false);
            await next(context);
            return;
        }

        var id = RequestId(body.Span);
        var message = $"The request's {problem} is not valid Unicode text (invalid UTF-8, or an unpaired surrogate escape). Send the text as proper UTF-8; the tool did not run.";
        var response = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["result"] = new JsonObject
            {
                ["isError"] = true,
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = $"{ToolErrorCodes.InvalidText}: {message}" }),
                ["structuredContent"] = new JsonObject
                {
                    ["error"] = new JsonObject { ["code"] = ToolErrorCodes.InvalidText, ["message"] = message },
                },
            },
        };
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.ToJsonString(), context.RequestAborted);
    }

    /// <summary>What is wrong with the body's text, or null when it is valid (or not JSON this check understands: the SDK answers that).</summary>
    internal static string? Problem(ReadOnlySpan<byte> body)
    {
        if (!UnicodeText.IsValidUtf8(body))
        {
            return "body";
        }

        if (body.IndexOf("\\u"u8) < 0)
        {
            return null;
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped
                    && !UnicodeText.IsValid(Unescape(reader.ValueSpan)))
                {
                    return "text";
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON is the SDK's to answer (a JSON-RPC parse error).
            return null;
        }

        return null;
    }

    /// <summary>
    /// The UTF-16 text of a JSON string's escaped bytes, lone surrogates kept: System.Text.Json
    /// refuses to unescape those at all (which is why the SDK cannot bind such a request).
    /// The reader has checked the escape syntax and the bytes are valid UTF-8.
    /// </summary>
    private static string Unescape(ReadOnlySpan<byte> escaped)
    {
        var text = new StringBuilder(escaped.Length);
        while (!escaped.IsEmpty)
        {
            var backslash = escaped.IndexOf((byte)'\\');
            if (backslash < 0)
            {
                text.Append(Encoding.UTF8.GetString(escaped));
                break;
            }

            text.Append(Encoding.UTF8.GetString(escaped[..backslash]));
            var kind = escaped[backslash + 1];
            if (kind == (byte)'u')
            {
                text.Append((char)ushort.Parse(escaped.Slice(backslash + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                escaped = escaped[(backslash + 6)..];
                continue;
            }

            text.Append(kind switch
            {
                (byte)'b' => '\b',
                (byte)'f' => '\f',
                (byte)'n' => '\n',
                (byte)'r' => '\r',
                (byte)'t' => '\t',
                _ => (char)kind,
            });
            escaped = escaped[(backslash + 2)..];
        }

        return text.ToString();
    }

    /// <summary>The JSON-RPC id of the request, read leniently (invalid sequences replaced) so the error can answer it.</summary>
    private static JsonValue? RequestId(ReadOnlySpan<byte> body)
    {
        var cleaned = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body));
        var reader = new Utf8JsonReader(cleaned);
        try
        {
            var depth = 0;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        depth++;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        depth--;
                        break;
                    case JsonTokenType.PropertyName when depth == 1 && reader.ValueTextEquals("id"u8):
                        reader.Read();
                        return reader.TokenType switch
                        {
                            JsonTokenType.Number => reader.TryGetInt64(out var number) ? JsonValue.Create(number) : null,
                            JsonTokenType.String => JsonValue.Create(reader.GetString()),
                            _ => null,
                        };
                }
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return null;
        }

        return null;
    }
}
