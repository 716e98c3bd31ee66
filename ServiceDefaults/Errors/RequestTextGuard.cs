using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace McpPlatform.ServiceDefaults.Errors;

/// <summary>
/// Refuses query strings and URL-encoded forms whose names or values hold NUL or other C0 control
/// characters (tab, CR and LF allowed), with 400 <c>request.invalid_text</c>, before any endpoint
/// sees them: PostgreSQL cannot store NUL in text (Npgsql throws "invalid byte sequence for
/// encoding UTF8: 0x00"), and no platform parameter has a use for control characters. Invalid
/// UTF-8 and unpaired surrogates need no check here: ASP.NET Core decodes them to U+FFFD.
/// </summary>
internal sealed class RequestTextGuard(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var where = Find(request.Query) is { } key ? $"query parameter {key}"
            : HasControlInBasicCredentials(request) ? "Basic authorization header"
            : IsUrlEncodedForm(request) ? await FindInFormAsync(context)
            : null;
        if (where is null)
        {
            await next(context);
            return;
        }

        await ProblemWriter.WriteAsync(context, problems, StatusCodes.Status400BadRequest, PlatformErrorCodes.InvalidText,
            $"The {where} holds a NUL or control character; send plain text.");
    }

    private static async Task<string?> FindInFormAsync(HttpContext context)
    {
        try
        {
            // Read once here; the form feature caches it for the endpoint (OpenIddict included).
            return Find(await context.Request.ReadFormAsync(context.RequestAborted)) is { } field ? $"form field {field}" : null;
        }
        catch (InvalidDataException exception) when (exception.InnerException is InvalidOperationException)
        {
            // The form decoder itself refuses a percent-encoded NUL ("contains invalid
            // characters"); the limits throw InvalidDataException without an inner exception.
            return "form";
        }
    }

    // Client credentials sent as HTTP Basic (OAuth clients at identity's token endpoint) reach
    // database lookups as the client id just as form fields do.
    private static bool HasControlInBasicCredentials(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[512];
        var encoded = header.AsSpan(6).Trim();
        if (encoded.Length > 680 || !Convert.TryFromBase64Chars(encoded, decoded, out var written))
        {
            // Not ours to judge: the authentication handler refuses it as it refuses any bad credential.
            return false;
        }

        var text = System.Text.Encoding.UTF8.GetString(decoded[..written]);
        return HasControl(text) || HasControl(Uri.UnescapeDataString(text));
    }

    private static bool IsUrlEncodedForm(HttpRequest request) =>
        request.HasFormContentType
        && request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <summary>The name of the first pair with a control character (truncated, escaped), or null.</summary>
    internal static string? Find(IEnumerable<KeyValuePair<string, StringValues>> pairs)
    {
        foreach (var (key, values) in pairs)
        {
            if (HasControl(key) || values.Any(value => value is not null && HasControl(value)))
            {
                return Printable(key);
            }
        }

        return null;
    }

    internal static bool HasControl(string text)
    {
        foreach (var c in text)
        {
            if (c < ' ' && c is not '\t' and not '\r' and not '\n' || c == '\u007f')
            {
                return true;
            }
        }

        return false;
    }

    // The name is echoed so the caller knows which field; bounded and without the bad characters.
    private static string Printable(string key)
    {
        var clean = new string([.. key.Where(c => c >= ' ' && c != '\u007f').Take(64)]);
        return clean.Length == 0 ? "(unnamed)" : $"'{clean}'";
    }
}
