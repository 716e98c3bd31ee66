using McpPlatform.Core;

namespace McpPlatform.Identity.Tenancy;

/// <summary>
/// Maps a principal to <c>tenant_id</c> and the partition claims under a tenancy setting
/// (docs/tenancy.md). Pure: the same facts and setting always give the same claims.
/// </summary>
public static class TenantResolver
{
    /// <summary>
    /// The tenant: the principal itself when the model names its kind (Agent model and an agent,
    /// User model and a user), otherwise its organisation. Null when there is none (an operator).
    /// </summary>
    public static string? ResolveTenant(TenancyModel model, PrincipalFacts principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return model switch
        {
            TenancyModel.Agent when principal.PrincipalType == PrincipalTypes.Agent => principal.PrincipalId,
            TenancyModel.User when principal.PrincipalType == PrincipalTypes.User => principal.PrincipalId,
            _ => principal.OrganisationId,
        };
    }

    /// <summary>The tenant and partition claims, or null when the principal has no tenant.</summary>
    public static TenantClaims? Resolve(TenancyOptions tenancy, PrincipalFacts principal)
    {
        ArgumentNullException.ThrowIfNull(tenancy);
        var tenant = ResolveTenant(tenancy.Model, principal);
        if (string.IsNullOrEmpty(tenant))
        {
            return null;
        }

        return new TenantClaims(
            tenant,
            Partition(tenancy.DataScope, tenant, principal),
            Partition(tenancy.QuotaScope, tenant, principal),
            Partition(tenancy.AuditScope, tenant, principal));
    }

    /// <summary>
    /// One partition key. Principal scope nests the principal inside the tenant
    /// (<c>&lt;tenant&gt;:&lt;principal&gt;</c>) so a key can never name another tenant's data; when the
    /// principal already is the tenant the key is the tenant alone.
    /// </summary>
    public static string Partition(TenancyScope scope, string tenant, PrincipalFacts principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return scope switch
        {
            TenancyScope.Tenant => tenant,
            TenancyScope.Organisation => principal.OrganisationId ?? tenant,
            TenancyScope.Principal => tenant == principal.PrincipalId ? tenant : $"{tenant}:{principal.PrincipalId}",
            _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Unknown tenancy scope."),
        };
    }
}
