using System.Globalization;
using System.Security.Claims;
using McpPlatform.CollectorTenant.Extensions;
using McpPlatform.CollectorTenant.Store;
using McpPlatform.Core;
using McpPlatform.ServiceDefaults.Apis;
using McpPlatform.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.CollectorTenant.Apis;

/// <summary>The tenant's read API: <c>GET /v1/records</c>.</summary>
public static class RecordsApi
{
    /// <summary>Most records per page.</summary>
    public const int MaxLimit = 500;

    private static readonly string[] s_filters = ["principal", "invocation", "tool", "outcome", "kind", "from", "to", "limit", "cursor", "tenant"];

    /// <summary>
    /// Maps the read API behind <c>audit:read</c>. The tenant is always the token's: a tenant
    /// admin or member reads their own tenant only (naming another tenant is a 403), and an
    /// operator reads nothing here (403: grants are the operator's way in, <c>/v1/grants</c>).
    /// </summary>
    /// <param name="app">The routes.</param>
    /// <returns>The endpoint.</returns>
    public static RouteHandlerBuilder MapRecordsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/records", QueryAsync).RequireAuthorization(CollectorTenantExtensions.ReadPolicy)
            .AddEndpointFilter(new DatabaseOutageFilter("audit.unavailable", "The audit store could not be reached; nothing was lost. Try again."));

    private static async Task<Results<Ok<RecordsPage>, ProblemHttpResult>> QueryAsync(HttpContext http, AuditStore store)
    {
        var user = http.User;
        var tenant = user.FindFirst(PlatformClaims.TenantId)?.Value;
        if (string.IsNullOrEmpty(tenant))
        {
            return user.IsInRole(PlatformRoles.Operator)
                ? Problems.Create(StatusCodes.Status403Forbidden, "audit.grant_required",
                    "Operators read tenant records only under an approved grant: POST /v1/grants, then GET /v1/grants/{id}/records.")
                : Problems.Create(StatusCodes.Status403Forbidden, "audit.forbidden", "The token carries no tenant.");
        }

        var admin = user.IsInRole(PlatformRoles.TenantAdmin);
        if (!admin && !user.IsInRole(PlatformRoles.TenantMember))
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "audit.forbidden", "Only a tenant admin or member reads the tenant's trail.");
        }

        var query = http.Request.Query;
        foreach (var name in s_filters)
        {
            if (query.TryGetValue(name, out var values) && values.Count > 1)
            {
                return Invalid($"'{name}' may be given once.");
            }
        }

        if (query.TryGetValue("tenant", out var named) && !string.Equals(named.ToString(), tenant, StringComparison.Ordinal))
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "audit.other_tenant", "A token reads only its own tenant's records.");
        }

        string? Filter(string name) => query.TryGetValue(name, out var value) && value.ToString() is { Length: > 0 } text ? text : null;

        var outcome = Filter("outcome");
        if (outcome is not null && !AuditOutcomes.All.Contains(outcome))
        {
            return Invalid($"outcome must be one of {string.Join(", ", AuditOutcomes.All)}.");
        }

        var kind = Filter("kind");
        if (kind is not null && !AuditKinds.All.Contains(kind))
        {
            return Invalid($"kind must be one of {string.Join(", ", AuditKinds.All)}.");
        }

        if (!TryTime(Filter("from"), out var from) || !TryTime(Filter("to"), out var to))
        {
            return Invalid("from and to must be ISO 8601 date-times with an offset, e.g. 2026-11-30T12:00:00Z.");
        }

        var limit = 100;
        if (Filter("limit") is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return Invalid($"limit must be 1-{MaxLimit}.");
        }

        AuditCursor? after = null;
        if (Filter("cursor") is { } cursorText && !TryCursor(cursorText, out after))
        {
            return Invalid("cursor is malformed; pass 'next' from the previous page unchanged.");
        }

        // With audit scoped per principal, a member reads their own partition; an admin the whole tenant.
        var partition = admin ? null : MemberPartition(user, tenant);
        var page = await store.QueryAsync(tenant, new AuditQuery(
            Filter("principal"), Filter("invocation"), Filter("tool"), outcome, kind, null, partition, from, to, after, limit), http.RequestAborted);
        return TypedResults.Ok(new RecordsPage(page.Records, page.Next is { } next
            ? string.Create(CultureInfo.InvariantCulture, $"{next.OccurredAt.UtcTicks}_{next.Id:N}")
            : null));
    }

    private static string? MemberPartition(ClaimsPrincipal user, string tenant) =>
        user.FindFirst(PlatformClaims.AuditPartition)?.Value is { } partition && partition != tenant ? partition : null;

    private static bool TryTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (text is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    private static bool TryCursor(string text, out AuditCursor? cursor)
    {
        cursor = null;
        var parts = text.Split('_');
        if (parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks is > 0 and < 3155378975999999999
            && Guid.TryParseExact(parts[1], "N", out var id))
        {
            cursor = new AuditCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
            return true;
        }

        return false;
    }

    private static ProblemHttpResult Invalid(string detail) =>
        Problems.Create(StatusCodes.Status400BadRequest, "request.query_invalid", detail);
}
