namespace McpPlatform.ServiceDefaults.Errors;

/// <summary>The <c>code</c> values of the problems the shared error rule answers with (docs/errors.md).</summary>
public static class PlatformErrorCodes
{
    /// <summary>An unhandled exception: 500, nothing about it in the body.</summary>
    public const string ServerError = "server.error";

    /// <summary>A request the server could not parse (bad framing, encoding, form or query).</summary>
    public const string Malformed = "request.malformed";

    /// <summary>A body that is not valid JSON for the endpoint (the code <c>JsonRequestBody</c> uses too).</summary>
    public const string BodyInvalid = "request.body_invalid";

    /// <summary>Text with NUL or other control characters where text is expected.</summary>
    public const string InvalidText = "request.invalid_text";

    /// <summary>A form whose antiforgery token is missing or invalid, or that cannot be read.</summary>
    public const string Antiforgery = "request.antiforgery";

    /// <summary>A body over the endpoint's limit (413).</summary>
    public const string TooLarge = "request.too_large";

    /// <summary>Headers over the server's limit (431).</summary>
    public const string HeadersTooLarge = "request.headers_too_large";

    /// <summary>No authentication, or not valid (401).</summary>
    public const string Unauthorized = "request.unauthorized";

    /// <summary>Authenticated but not allowed (403).</summary>
    public const string Forbidden = "request.forbidden";

    /// <summary>No such resource (404).</summary>
    public const string NotFound = "request.not_found";

    /// <summary>The method is not allowed on this path (405).</summary>
    public const string MethodNotAllowed = "request.method_not_allowed";

    /// <summary>The body's content type is not accepted (415).</summary>
    public const string UnsupportedMediaType = "request.content_type";

    /// <summary>Any other 4xx without a more precise code.</summary>
    public const string Rejected = "request.rejected";

    /// <summary>503: the service is at capacity and shed the request; retry after <c>Retry-After</c>.</summary>
    public const string Overloaded = "server.overloaded";

    /// <summary>The code for a bare status (status-code pages, framework rejections).</summary>
    /// <param name="status">The HTTP status.</param>
    /// <returns>The code.</returns>
    public static string ForStatus(int status) => status switch
    {
        400 => Malformed,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        413 => TooLarge,
        415 => UnsupportedMediaType,
        431 => HeadersTooLarge,
        503 => Overloaded,
        >= 500 => ServerError,
        _ => Rejected,
    };
}
