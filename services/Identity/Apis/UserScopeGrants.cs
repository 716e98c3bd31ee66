using System.Security.Claims;
using McpPlatform.Core;
using McpPlatform.Identity.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace McpPlatform.Identity.Apis;

/// <summary>
/// The scopes a signed-in user may receive for a resource (a request's scopes, and a refreshed
/// token's, are intersected with these): the resource's own scope for everyone, except that the
/// platform telemetry views are for operators only and managing secrets for a tenant's admins only;
/// quota administration for operators only; the administration of a tenant's connections on
/// tools-workspace for that tenant's admins only.
/// </summary>
internal static class UserScopeGrants
{
    public static string[] For(ProtectedResource resource, ClaimsIdentity user)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(user);
        var isOperator = user.HasClaim(PlatformClaims.Role, PlatformRoles.Operator);
        var isTenantAdmin = user.HasClaim(PlatformClaims.Role, PlatformRoles.TenantAdmin)
            && !string.IsNullOrEmpty(user.FindFirst(PlatformClaims.TenantId)?.Value);

        List<string> scopes = [Scopes.OpenId, Scopes.OfflineAccess];
        if ((resource != PlatformResources.CollectorPlatform || isOperator) && (resource != PlatformResources.Secrets || isTenantAdmin))
        {
            scopes.Add(resource.Scope);
        }

        if (resource == PlatformResources.Quota && isOperator)
        {
            scopes.Add(PlatformScopes.QuotaAdmin);
        }

        if (resource == PlatformResources.ToolsWorkspace && isTenantAdmin)
        {
            scopes.Add(PlatformScopes.WorkspaceAdmin);
        }

        return [.. scopes];
    }
}
