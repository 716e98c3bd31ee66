using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.ServiceDefaults.Apis;

/// <summary>RFC 9457 problems with a machine-readable <c>code</c>, the error shape of every platform HTTP API.</summary>
public static class Problems
{
    /// <summary>A problem result.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="code">The machine-readable code (docs/reason-codes.md).</param>
    /// <param name="detail">What is wrong, for a human.</param>
    /// <param name="more">Further extension members.</param>
    /// <returns>The result.</returns>
    public static ProblemHttpResult Create(int status, string code, string detail, Dictionary<string, object?>? more = null)
    {
        var extensions = new Dictionary<string, object?>(more ?? [], StringComparer.Ordinal) { ["code"] = code };
        return TypedResults.Problem(detail: detail, statusCode: status, extensions: extensions);
    }

    /// <summary>A 400 validation problem listing the invalid fields, code <c>request.invalid</c>.</summary>
    /// <param name="errors">Messages by field.</param>
    /// <returns>The result.</returns>
    public static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: "The request has invalid fields; see errors.",
            extensions: new Dictionary<string, object?> { ["code"] = "request.invalid" });
}
