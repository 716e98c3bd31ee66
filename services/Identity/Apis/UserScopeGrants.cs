using System.Security.Claims;
using McpPlatform.Core;
using McpPlatform.Identity.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace McpPlatform.Identity.Apis;

/// <summary>
/// The scopes a signed-in user may receive for a resource (a request's scopes are intersected with
/// these): the resource's own scope for everyone; quota administration for operators only; the
/// administration of a tenant's connections on tools-workspace for that tenant's admins only.
/// </summary>
internal static class UserScopeGrants
{
    public static string[] For(ProtectedResource resource, ClaimsIdentity user)
    {
        List<string> scopes = [Scopes.OpenId, Scopes.OfflineAccess, resource.Scope];
        if (resource == PlatformResources.Quota && user.HasClaim(PlatformClaims.Role, PlatformRoles.Operator))
        {
            scopes.Add(PlatformScopes.QuotaAdmin);
        }

        if (resource == PlatformResources.ToolsWorkspace && user.HasClaim(PlatformClaims.Role, PlatformRoles.TenantAdmin)
            && !string.IsNullOrEmpty(user.FindFirst(PlatformClaims.TenantId)?.Value))
        {
            scopes.Add(PlatformScopes.WorkspaceAdmin);
        }

        return [.. scopes];
    }
}
