using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace McpPlatform.ServiceDefaults.Errors;

/// <summary>
/// Writes the shared rule's problems: through <see cref="IProblemDetailsService"/> (so the
/// customisation adds <c>code</c> and <c>traceId</c>), and as plain problem JSON when no writer
/// accepts the request (an <c>Accept: text/html</c> client would otherwise get an empty body).
/// </summary>
internal static class ProblemWriter
{
    public static async Task WriteAsync(HttpContext context, IProblemDetailsService problems, int status, string code, string detail)
    {
        context.Response.StatusCode = status;
        if (IsOAuthEndpoint(context) && status < StatusCodes.Status500InternalServerError)
        {
            // RFC 6749 §5.2: what an OAuth client parses; no caching of an answer to a token request.
            context.Response.ContentType = "application/json;charset=UTF-8";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsync(
                JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = "invalid_request", ["error_description"] = detail }),
                context.RequestAborted);
            return;
        }

        var problem = new ProblemDetails { Status = status, Detail = detail, Extensions = { ["code"] = code } };
        if (await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            return;
        }

        problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        context.Response.ContentType = "application/problem+json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(problem), context.RequestAborted);
    }

    private static bool IsOAuthEndpoint(HttpContext context)
    {
        var prefixes = context.RequestServices.GetService<IOptions<PlatformErrorOptions>>()?.Value.OAuthPathPrefixes;
        return prefixes is { Count: > 0 } && prefixes.Any(prefix => context.Request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
    }
}
