using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.ServiceDefaults.Apis;

/// <summary>
/// Reads JSON bodies with explicit limits, so every malformed, oversized or mistyped body is a
/// 4xx problem with a clear detail rather than a framework 400 without a body or a 500.
/// </summary>
public static class JsonRequestBody
{
    /// <summary>Reads and deserializes the body, or says precisely why not.</summary>
    /// <typeparam name="T">The body type.</typeparam>
    /// <param name="http">The request's context.</param>
    /// <param name="typeInfo">Source-generated JSON metadata of <typeparamref name="T"/>.</param>
    /// <param name="maxBytes">The largest body accepted.</param>
    /// <returns>The value, or the problem to answer with.</returns>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> typeInfo, long maxBytes)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.Request;
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        if (!request.HasJsonContentType())
        {
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "request.content_type", "Send the body as application/json."));
        }

        // Chunked bodies have no length up front; Kestrel enforces the limit while reading.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, typeInfo, http.RequestAborted);
            return value is null
                ? (null, Problems.Create(StatusCodes.Status400BadRequest, "request.body_missing", "The request body is empty or null."))
                : (value, null);
        }
        catch (JsonException exception)
        {
            var where = string.IsNullOrEmpty(exception.Path) ? "the body" : exception.Path;
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "request.body_invalid",
                $"The body is not valid JSON for this request (at {where}); numbers must fit their fields."));
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes));
        }
    }

    private static ProblemHttpResult TooLarge(long maxBytes) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "request.too_large", $"The body exceeds {maxBytes} bytes.");
}
