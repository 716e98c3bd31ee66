using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.Quota.Apis;

/// <summary>
/// Reads small JSON bodies with explicit limits, so every malformed, oversized or mistyped
/// body is a 4xx problem with a clear detail rather than a framework 400 without a body or a 500.
/// </summary>
internal static class RequestBody
{
    /// <summary>Largest body the quota APIs accept; real requests are a few hundred bytes.</summary>
    public const int MaxBytes = 8 * 1024;

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        var request = http.Request;
        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        if (!request.HasJsonContentType())
        {
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "request.content_type",
                "Send the body as application/json."));
        }

        // Chunked bodies have no length up front; Kestrel enforces this limit while reading.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
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
            return (null, TooLarge());
        }
    }

    private static ProblemHttpResult TooLarge() =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "request.too_large", $"The body exceeds {MaxBytes} bytes.");
}

/// <summary>RFC 9457 problems with a machine-readable <c>code</c>.</summary>
internal static class Problems
{
    public static ProblemHttpResult Create(int status, string code, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = code });

    public static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: "The request has invalid fields; see errors.",
            extensions: new Dictionary<string, object?> { ["code"] = "request.invalid" });
}
