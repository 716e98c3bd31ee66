using System.Security.Claims;
using McpPlatform.Core;
using McpPlatform.Quota.Engine;
using McpPlatform.Quota.Extensions;
using McpPlatform.ServiceDefaults.Apis;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.Quota.Apis;

/// <summary>
/// The operator's limits API (<c>/v1/admin</c>): read, override and remove a tenant's limits, and
/// the change log. Only the operator reaches it; the operator names the tenant.
/// </summary>
public static class AdminApi
{
    /// <summary>Most change records one read returns.</summary>
    public const int MaxChangesPerRead = 200;

    /// <summary>Maps the operator's limits API behind the <c>quota:admin</c> policy.</summary>
    /// <param name="app">The routes.</param>
    /// <returns>The route group.</returns>
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/admin").RequireAuthorization(QuotaServiceExtensions.AdminPolicy);
        api.MapGet("/tenants/{tenantId}/limits", GetLimits);
        api.MapPut("/tenants/{tenantId}/limits", SetLimitsAsync);
        api.MapDelete("/tenants/{tenantId}/limits", RemoveLimitsAsync);
        api.MapGet("/changes", GetChangesAsync);
        return api;
    }

    private static Results<Ok<TenantLimitsView>, ProblemHttpResult> GetLimits(string tenantId, QuotaPolicy policy)
    {
        if (!QuotaKeys.IsValidId(tenantId))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "request.tenant_invalid", "The tenant id is malformed.");
        }

        var (tier, configured) = policy.Configured(tenantId);
        policy.Overrides.TryGetValue(tenantId, out var over);
        return TypedResults.Ok(new TenantLimitsView(tenantId, tier, configured, over, EffectiveView(policy.For(tenantId))));
    }

    private static async Task<Results<Ok<LimitChange>, ValidationProblem, ProblemHttpResult>> SetLimitsAsync(
        string tenantId, HttpContext http, LimitOverrideStore store)
    {
        if (!QuotaKeys.IsValidId(tenantId))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "request.tenant_invalid", "The tenant id is malformed.");
        }

        var (limits, problem) = await RequestBody.ReadAsync(http, OverrideJsonContext.Default.QuotaLimits);
        if (limits is null)
        {
            return problem!;
        }

        if (limits.Problem() is { } invalid)
        {
            return Problems.Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["limits"] = [invalid] });
        }

        return await ChangeAsync(store, tenantId, limits, http.User);
    }

    private static async Task<Results<Ok<LimitChange>, ValidationProblem, ProblemHttpResult>> RemoveLimitsAsync(
        string tenantId, ClaimsPrincipal user, LimitOverrideStore store)
    {
        if (!QuotaKeys.IsValidId(tenantId))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "request.tenant_invalid", "The tenant id is malformed.");
        }

        return await ChangeAsync(store, tenantId, null, user);
    }

    private static async Task<Results<Ok<LimitChange>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        LimitOverrideStore store, string tenantId, QuotaLimits? limits, ClaimsPrincipal user)
    {
        try
        {
            return TypedResults.Ok(await store.SetAsync(tenantId, limits, user.FindFirst(PlatformClaims.Subject)?.Value ?? "unknown"));
        }
        catch (Exception exception) when (QuotaEngine.IsUnavailable(exception))
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, ReasonCodes.Unavailable, "Quota state is unreachable; the limits were not changed.");
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<LimitChange>>, ProblemHttpResult>> GetChangesAsync(
        string? tenant, int? max, LimitOverrideStore store)
    {
        if (tenant is not null && !QuotaKeys.IsValidId(tenant))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "request.tenant_invalid", "The tenant id is malformed.");
        }

        if (max is < 1 or > MaxChangesPerRead)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "request.max_invalid", $"max must be 1-{MaxChangesPerRead}.");
        }

        try
        {
            return TypedResults.Ok(await store.ChangesAsync(tenant, max ?? 50));
        }
        catch (Exception exception) when (QuotaEngine.IsUnavailable(exception))
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, ReasonCodes.Unavailable, "Quota state is unreachable.");
        }
    }

    private static QuotaLimits EffectiveView(EffectiveLimits limits) => new()
    {
        TenantConcurrency = limits.TenantConcurrency < 0 ? null : (int)limits.TenantConcurrency,
        PrincipalConcurrency = limits.PrincipalConcurrency < 0 ? null : (int)limits.PrincipalConcurrency,
        TenantRatePerSecond = limits.TenantRatePerSecond < 0 ? null : limits.TenantRatePerSecond,
        TenantRateBurst = limits.TenantRatePerSecond < 0 ? null : (int)limits.TenantRateBurst,
        PrincipalRatePerSecond = limits.PrincipalRatePerSecond < 0 ? null : limits.PrincipalRatePerSecond,
        PrincipalRateBurst = limits.PrincipalRatePerSecond < 0 ? null : (int)limits.PrincipalRateBurst,
        TokensPerHour = limits.TokensPerHour < 0 ? null : limits.TokensPerHour,
        TokensPerDay = limits.TokensPerDay < 0 ? null : limits.TokensPerDay,
        CostPerHour = QuotaUnits.FromMicros(limits.CostPerHourMicros),
        CostPerDay = QuotaUnits.FromMicros(limits.CostPerDayMicros),
        LeaseTtlSeconds = limits.LeaseTtlSeconds,
        FailOpen = limits.FailOpen,
    };
}
