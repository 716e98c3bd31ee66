using System.Security.Claims;
using System.Text.RegularExpressions;

namespace McpPlatform.Core;

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
    public static TenantContextResult TryCreate(ClaimsPrincipal user, string? clientInvocationId) =>
        TryCreate(TenantCaller.FromClaims(user), clientInvocationId);

    /// <summary>Builds the context from a caller already read from the token.</summary>
    /// <param name="caller">The caller, or why the token names none.</param>
    /// <param name="clientInvocationId">The client's invocation id from <c>_meta</c>, if any.</param>
    /// <returns>The context, or an error saying what is wrong.</returns>
    public static TenantContextResult TryCreate(TenantCallerResult caller, string? clientInvocationId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Caller is not { } who)
        {
            return new(null, caller.ErrorCode, caller.ErrorMessage);
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

        return new(new TenantContext(
            who.TenantId, who.PrincipalId, who.PrincipalType, invocationId, who.DataPartition, who.QuotaPartition, who.AuditPartition), null, null);
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:-]+\z")]
    private static partial Regex InvocationIdShape();
}
