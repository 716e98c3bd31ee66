using System.Security.Claims;
using System.Text.RegularExpressions;
using McpPlatform.CollectorTenant.Extensions;
using McpPlatform.CollectorTenant.Store;
using McpPlatform.Core;
using McpPlatform.ServiceDefaults.Apis;
using McpPlatform.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace McpPlatform.CollectorTenant.Apis;

/// <summary>The cross-pipeline join for incident response: <c>/v1/grants</c>.</summary>
public static partial class GrantsApi
{
    /// <summary>Most records one grant read returns.</summary>
    public const int MaxRecords = 500;

    /// <summary>
    /// Maps the grant flow behind <c>audit:read</c> and the operator role: request, approve (a
    /// different operator, or the configured policy), read the records of the grant's trace while
    /// it lasts. Request, approval and each use are written into the tenant's own trail.
    /// </summary>
    /// <param name="app">The routes.</param>
    /// <returns>The route group.</returns>
    public static RouteGroupBuilder MapGrantsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/grants").RequireAuthorization(CollectorTenantExtensions.ReadPolicy)
            .AddEndpointFilter(new DatabaseOutageFilter("audit.unavailable", "The audit store could not be reached; nothing was lost. Try again."));
        api.MapPost("/", RequestAsync);
        api.MapGet("/{id}", GetAsync);
        api.MapPost("/{id}/approve", ApproveAsync);
        api.MapGet("/{id}/records", RecordsAsync);
        return api;
    }

    private static async Task<Results<Created<AuditGrant>, ProblemHttpResult>> RequestAsync(
        HttpContext http, GrantStore grants, IOptionsMonitor<AuditPolicyOptions> policies, IOptionsMonitor<AuditGrantOptions> options)
    {
        if (Operator(http.User) is not { } operatorId)
        {
            return OperatorsOnly();
        }

        var (request, problem) = await JsonRequestBody.ReadAsync(http, CollectorJsonContext.Default.GrantRequest, 16 * 1024);
        if (request is null)
        {
            return problem!;
        }

        var settings = options.CurrentValue;
        var maxSeconds = (int)settings.MaxDuration.TotalSeconds;
        if (request.TenantId is not { Length: > 0 and <= AuditLimits.MaxIdLength } tenant || !policies.CurrentValue.IsKnown(tenant))
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "audit.tenant_unknown", "tenantId must name a tenant known to collector-tenant.");
        }

        if (request.Reason is not { Length: >= 10 and <= 1000 } reason)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "grant.reason_invalid", "reason is required: 10-1000 characters saying why (the tenant will read it).");
        }

        if (request.TraceId is not { } traceId || !TraceIdShape().IsMatch(traceId))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "grant.trace_id_invalid", "traceId must be the platform trace id: 32 lowercase hex characters.");
        }

        if (request.DurationSeconds < 1 || request.DurationSeconds > maxSeconds)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "grant.duration_invalid", $"durationSeconds must be 1-{maxSeconds}.");
        }

        var byPolicy = settings.PolicyApproval.Enabled && request.DurationSeconds <= settings.PolicyApproval.MaxDuration.TotalSeconds;
        var grant = await grants.CreateAsync(tenant, operatorId, reason, traceId, request.DurationSeconds, byPolicy, http.RequestAborted);
        return TypedResults.Created($"/v1/grants/{grant.Id:N}", grant);
    }

    private static async Task<Results<Ok<AuditGrant>, ProblemHttpResult>> GetAsync(string id, HttpContext http, GrantStore grants)
    {
        if (Operator(http.User) is null)
        {
            return OperatorsOnly();
        }

        return await FindAsync(id, grants, http.RequestAborted) is { } grant ? TypedResults.Ok(grant) : NotFound();
    }

    private static async Task<Results<Ok<AuditGrant>, ProblemHttpResult>> ApproveAsync(string id, HttpContext http, GrantStore grants)
    {
        if (Operator(http.User) is not { } approver)
        {
            return OperatorsOnly();
        }

        if (await FindAsync(id, grants, http.RequestAborted) is not { } grant)
        {
            return NotFound();
        }

        if (grant.RequestedBy == approver)
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "grant.self_approval", "A grant is approved by a second operator, not the one who asked.");
        }

        return await grants.ApproveAsync(grant, approver, http.RequestAborted) is { } approved
            ? TypedResults.Ok(approved)
            : Problems.Create(StatusCodes.Status409Conflict, "grant.already_approved", "The grant is already approved.");
    }

    private static async Task<Results<Ok<GrantRecords>, ProblemHttpResult>> RecordsAsync(
        string id, HttpContext http, GrantStore grants, TimeProvider time)
    {
        if (Operator(http.User) is not { } operatorId)
        {
            return OperatorsOnly();
        }

        if (await FindAsync(id, grants, http.RequestAborted) is not { } grant)
        {
            return NotFound();
        }

        if (grant.RequestedBy != operatorId)
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "grant.not_yours", "Only the operator who requested the grant may use it.");
        }

        if (grant.ApprovedAt is null)
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "grant.not_approved", "The grant waits for a second operator's approval.");
        }

        if (grant.ExpiresAt is not { } expires || expires <= time.GetUtcNow())
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "grant.expired", "The grant has expired; request a new one.");
        }

        return TypedResults.Ok(new GrantRecords(grant, await grants.UseAsync(grant, MaxRecords, http.RequestAborted)));
    }

    private static async Task<AuditGrant?> FindAsync(string id, GrantStore grants, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var grantId) ? await grants.GetAsync(grantId, cancellationToken) : null;

    private static string? Operator(ClaimsPrincipal user) =>
        user.IsInRole(PlatformRoles.Operator) && user.FindFirst(PlatformClaims.TenantId) is null
            ? user.FindFirst(PlatformClaims.Subject)?.Value
            : null;

    private static ProblemHttpResult OperatorsOnly() =>
        Problems.Create(StatusCodes.Status403Forbidden, "grant.operator_only", "Grants are for platform operators.");

    private static ProblemHttpResult NotFound() =>
        Problems.Create(StatusCodes.Status404NotFound, "grant.not_found", "No grant with this id.");

    [GeneratedRegex(@"^[0-9a-f]{32}\z")]
    private static partial Regex TraceIdShape();
}
