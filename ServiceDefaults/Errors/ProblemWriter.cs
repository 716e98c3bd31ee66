using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

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
        var problem = new ProblemDetails { Status = status, Detail = detail, Extensions = { ["code"] = code } };
        if (await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            return;
        }

        problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        context.Response.ContentType = "application/problem+json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(problem), context.RequestAborted);
    }
}
