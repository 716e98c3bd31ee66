using System.Security.Claims;

namespace McpPlatform.Core;

/// <summary>
/// Who is calling, as the validated token says: tenant, principal and the partitions of the
/// tenancy model. Read from the claims once per request; a <see cref="TenantContext"/> adds the
/// invocation.
/// </summary>
/// <param name="TenantId">The tenant (opaque, from <c>tenant_id</c>).</param>
/// <param name="PrincipalId">The user id or agent client id (<c>sub</c>).</param>
/// <param name="PrincipalType"><see cref="PrincipalTypes.User"/> or <see cref="PrincipalTypes.Agent"/>.</param>
/// <param name="DataPartition">Partition for tenant data per the tenancy model.</param>
/// <param name="QuotaPartition">Partition for quotas and budgets.</param>
/// <param name="AuditPartition">Partition for the audit trail.</param>
public sealed record TenantCaller(
    string TenantId,
    string PrincipalId,
    string PrincipalType,
    string DataPartition,
    string QuotaPartition,
    string AuditPartition)
{
    /// <summary>Reads the caller from a validated principal.</summary>
    /// <param name="user">The authenticated caller.</param>
    /// <returns>The caller, or a reason code and a sentence saying what the token lacks.</returns>
    public static TenantCallerResult FromClaims(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var tenant = user.FindFirst(PlatformClaims.TenantId)?.Value;
        var subject = user.FindFirst(PlatformClaims.Subject)?.Value;
        var principalType = user.FindFirst(PlatformClaims.PrincipalType)?.Value;
        if (string.IsNullOrEmpty(tenant) || string.IsNullOrEmpty(subject))
        {
            return new(null, "tenant.missing", "The token carries no tenant or subject.");
        }

        if (principalType is not (PrincipalTypes.User or PrincipalTypes.Agent))
        {
            return new(null, "principal.type_invalid", "The token's principal_type is neither 'user' nor 'agent'.");
        }

        // Older tokens without partition claims fall back to the tenant: never to something wider.
        return new(new TenantCaller(
            tenant,
            subject,
            principalType,
            user.FindFirst(PlatformClaims.DataPartition)?.Value ?? tenant,
            user.FindFirst(PlatformClaims.QuotaPartition)?.Value ?? tenant,
            user.FindFirst(PlatformClaims.AuditPartition)?.Value ?? tenant), null, null);
    }
}
