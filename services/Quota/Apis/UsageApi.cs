using System.Security.Claims;
using McpPlatform.Core;
using McpPlatform.Quota.Engine;
using McpPlatform.Quota.Extensions;
using McpPlatform.ServiceDefaults.Apis;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.Quota.Apis;

/// <summary>
/// Usage read API (<c>GET /v1/usage</c>). The tenant always comes from the token for a tenant
/// admin; only the operator names one.
/// </summary>
public static class UsageApi
{
    /// <summary>Maps <c>GET /v1/usage</c> behind the <c>quota:read</c> policy.</summary>
    /// <param name="app">The routes.</param>
    /// <returns>The endpoint.</returns>
    public static RouteHandlerBuilder MapUsageApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/usage", GetUsageAsync).RequireAuthorization(QuotaServiceExtensions.ReadPolicy);

    private static async Task<Results<Ok<UsageReport>, ProblemHttpResult>> GetUsageAsync(
        string? tenant, string? partition, ClaimsPrincipal user, QuotaEngine engine)
    {
        string tenantId;
        if (user.IsInRole(PlatformRoles.Operator))
        {
            if (!QuotaKeys.IsValidId(tenant))
            {
                return Problems.Create(StatusCodes.Status400BadRequest, "request.tenant_required",
                    "The operator names the tenant: ?tenant=<tenant id>.");
            }

            tenantId = tenant;
        }
        else
        {
            // Tenant admins: the tenant is the token's, and naming another is refused.
            var own = user.FindFirst(PlatformClaims.TenantId)?.Value;
            if (!QuotaKeys.IsValidId(own) || !user.IsInRole(PlatformRoles.TenantAdmin))
            {
                return Problems.Create(StatusCodes.Status403Forbidden, "usage.forbidden", "Only a tenant admin or the operator may read usage.");
            }

            if (tenant is not null && tenant != own)
            {
                return Problems.Create(StatusCodes.Status403Forbidden, "usage.other_tenant", "A tenant admin may read only their own tenant's usage.");
            }

            if (partition is not null && !BelongsTo(partition, own, user))
            {
                return Problems.Create(StatusCodes.Status403Forbidden, "usage.other_tenant", "That quota partition is not one of this tenant's.");
            }

            tenantId = own;
        }

        partition ??= tenantId;
        if (!QuotaKeys.IsValidId(partition))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "request.partition_invalid", "The partition is malformed.");
        }

        try
        {
            return TypedResults.Ok(await engine.GetUsageAsync(tenantId, partition));
        }
        catch (QuotaUnavailableException exception)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, ReasonCodes.Unavailable, exception.Message);
        }
    }

    // A tenant's partitions are the tenant itself, principal partitions nested in it
    // ("<tenant>:<principal>"), and the quota partition identity put in this admin's token.
    private static bool BelongsTo(string partition, string tenant, ClaimsPrincipal user) =>
        partition == tenant
        || (partition.Length > tenant.Length + 1 && partition.StartsWith(tenant, StringComparison.Ordinal) && partition[tenant.Length] == ':')
        || partition == user.FindFirst(PlatformClaims.QuotaPartition)?.Value;
}
