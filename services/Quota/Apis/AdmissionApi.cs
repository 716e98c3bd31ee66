using McpPlatform.Core;
using McpPlatform.Core.Quota;
using McpPlatform.Quota.Engine;
using McpPlatform.Quota.Extensions;
using McpPlatform.ServiceDefaults.Apis;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.Quota.Apis;

/// <summary>Admission for MCP servers: <c>POST /v1/leases</c> and <c>POST /v1/leases/{leaseId}/release</c>.</summary>
public static class AdmissionApi
{
    /// <summary>
    /// Maps admit and release behind the <c>quota:admit</c> policy: only MCP servers' own
    /// client-credentials tokens may assert a tenant context (docs/decisions/003-quota-protocol.md).
    /// A denial is a decision, so it is a 200 with <c>granted: false</c>.
    /// </summary>
    /// <param name="app">The routes.</param>
    /// <returns>The route group.</returns>
    public static RouteGroupBuilder MapAdmissionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/leases").RequireAuthorization(QuotaServiceExtensions.AdmitPolicy);
        api.MapPost("/", AdmitAsync);
        api.MapPost("/{leaseId}/release", ReleaseAsync);
        return api;
    }

    private static async Task<Results<Ok<AdmitResponse>, ValidationProblem, ProblemHttpResult>> AdmitAsync(
        HttpContext http, QuotaEngine engine, QuotaPolicy policy)
    {
        var (request, problem) = await RequestBody.ReadAsync(http, QuotaJsonContext.Default.AdmitRequest);
        if (request is null)
        {
            return problem!;
        }

        if (!AdmissionValidation.TryValidate(request, policy, out var input, out var errors))
        {
            return Problems.Invalid(errors);
        }

        return TypedResults.Ok((await engine.AdmitAsync(input)).ToResponse());
    }

    private static async Task<Results<Ok<ReleaseResponse>, ValidationProblem, ProblemHttpResult>> ReleaseAsync(
        string leaseId, HttpContext http, QuotaEngine engine, QuotaPolicy policy)
    {
        if (!LeaseHandle.TryParse(leaseId, out var lease))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "request.lease_invalid",
                "The lease id is malformed; use the leaseId exactly as admission returned it.");
        }

        var (request, problem) = await RequestBody.ReadAsync(http, QuotaJsonContext.Default.ReleaseRequest);
        if (request is null)
        {
            return problem!;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Actual is null)
        {
            errors["actual"] = ["actual is required ({\"tokens\": n, \"cost\": n})."];
        }
        else
        {
            AdmissionValidation.CheckUsage(errors, "actual", request.Actual, policy.Options);
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        try
        {
            return TypedResults.Ok(new ReleaseResponse(await engine.ReleaseAsync(lease, request.Actual!)));
        }
        catch (QuotaUnavailableException exception)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, ReasonCodes.Unavailable, exception.Message);
        }
    }
}
