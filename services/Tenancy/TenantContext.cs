using System.Security.Claims;
using System.Text.RegularExpressions;
using McpPlatform.Core;

namespace McpPlatform.Tenancy;

/// <summary>
/// Who a tool call is for: built once per call from the validated token and the request's
/// <c>_meta</c>, never from tool arguments. Tenant-sensitive services take this (or a scope
/// derived from it) as their only way to name a tenant.
/// </summary>
/// <param name="TenantId">The tenant (opaque, from <c>tenant_id</c>).</param>
/// <param name="PrincipalId">The user id or agent client id (<c>sub</c>).</param>
/// <param name="PrincipalType"><see cref="PrincipalTypes.User"/> or <see cref="PrincipalTypes.Agent"/>.</param>
/// <param name="InvocationId">This tool call's id: the client's, from <c>_meta</c>, or generated.</param>
/// <param name="DataPartition">Partition for tenant data per the tenancy model.</param>
/// <param name="QuotaPartition">Partition for quotas and budgets.</param>
/// <param name="AuditPartition">Partition for the audit trail.</param>
public sealed partial record TenantContext(
    string TenantId,
    string PrincipalId,
    string PrincipalType,
    string InvocationId,
    string DataPartition,
    string QuotaPartition,
    string AuditPartition)
{
    /// <summary>Longest invocation id a client may send.</summary>
    public const int MaxInvocationIdLength = 128;

    /// <summary>Builds the context from a validated principal.</summary>
    /// <param name="user">The authenticated caller.</param>
    /// <param name="clientInvocationId">The client's invocation id from <c>_meta</c>, if any.</param>
    /// <returns>The context, or an error saying what is wrong.</returns>
    public static TenantContextResult TryCreate(ClaimsPrincipal user, string? clientInvocationId)
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

        string invocationId;
        if (clientInvocationId is null)
        {
            invocationId = Guid.CreateVersion7().ToString("N");
        }
        else if (clientInvocationId.Length is > 0 and <= MaxInvocationIdLength && InvocationIdShape().IsMatch(clientInvocationId))
        {
            invocationId = clientInvocationId;
        }
        else
        {
            return new(null, "request.invocation_id_invalid",
                $"_meta['{McpConventions.InvocationIdMetaKey}'] must be 1-{MaxInvocationIdLength} characters of letters, digits, '.', '_', ':' or '-'.");
        }

        // Older tokens without partition claims fall back to the tenant: never to something wider.
        return new(new TenantContext(
            tenant,
            subject,
            principalType,
            invocationId,
            user.FindFirst(PlatformClaims.DataPartition)?.Value ?? tenant,
            user.FindFirst(PlatformClaims.QuotaPartition)?.Value ?? tenant,
            user.FindFirst(PlatformClaims.AuditPartition)?.Value ?? tenant), null, null);
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex InvocationIdShape();
}

/// <summary>A <see cref="TenantContext"/> or the reason none could be built.</summary>
/// <param name="Context">The context, when valid.</param>
/// <param name="ErrorCode">A reason code when not.</param>
/// <param name="ErrorMessage">A sentence for the caller when not.</param>
public sealed record TenantContextResult(TenantContext? Context, string? ErrorCode, string? ErrorMessage);

/// <summary>Holds the current call's context in the request's DI scope.</summary>
public sealed class TenantContextAccessor
{
    /// <summary>The current call's context; null outside a tool call.</summary>
    public TenantContext? Current { get; internal set; }
}
