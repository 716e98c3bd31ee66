using System.Security.Claims;
using McpPlatform.Core;
using McpPlatform.Identity.Apis;
using McpPlatform.Identity.Data;

namespace McpPlatform.Identity.Tests;

public sealed class UserScopeGrantsTests
{
    private static ClaimsIdentity User(string? tenant, params string[] roles)
    {
        var identity = new ClaimsIdentity("test", PlatformClaims.Subject, PlatformClaims.Role);
        if (tenant is not null)
        {
            identity.AddClaim(new Claim(PlatformClaims.TenantId, tenant));
        }

        foreach (var role in roles)
        {
            identity.AddClaim(new Claim(PlatformClaims.Role, role));
        }

        return identity;
    }

    [Fact]
    public void For_TenantAdminOnToolsWorkspace_GrantsWorkspaceAdmin()
    {
        var scopes = UserScopeGrants.For(PlatformResources.ToolsWorkspace, User(DemoDirectory.ContosoTenantId, PlatformRoles.TenantAdmin));

        scopes.ShouldContain(PlatformScopes.WorkspaceAdmin);
        scopes.ShouldContain(PlatformScopes.McpTools);
    }

    [Fact]
    public void For_TenantMemberOrOperatorOnToolsWorkspace_DoesNotGrantWorkspaceAdmin()
    {
        UserScopeGrants.For(PlatformResources.ToolsWorkspace, User(DemoDirectory.ContosoTenantId, PlatformRoles.TenantMember))
            .ShouldNotContain(PlatformScopes.WorkspaceAdmin);
        UserScopeGrants.For(PlatformResources.ToolsWorkspace, User(tenant: null, PlatformRoles.Operator))
            .ShouldNotContain(PlatformScopes.WorkspaceAdmin);
    }

    [Fact]
    public void For_TenantAdminRoleWithoutTenant_DoesNotGrantWorkspaceAdmin()
    {
        UserScopeGrants.For(PlatformResources.ToolsWorkspace, User(tenant: null, PlatformRoles.TenantAdmin))
            .ShouldNotContain(PlatformScopes.WorkspaceAdmin);
    }

    [Fact]
    public void For_TenantAdminOnAnotherResource_DoesNotGrantWorkspaceAdmin()
    {
        var admin = User(DemoDirectory.ContosoTenantId, PlatformRoles.TenantAdmin);
        UserScopeGrants.For(PlatformResources.ToolsKnowledge, admin).ShouldNotContain(PlatformScopes.WorkspaceAdmin);
        UserScopeGrants.For(PlatformResources.Quota, admin).ShouldNotContain(PlatformScopes.WorkspaceAdmin);
    }

    [Fact]
    public void For_OperatorOnQuota_GrantsQuotaAdminAndOthersDoNot()
    {
        UserScopeGrants.For(PlatformResources.Quota, User(tenant: null, PlatformRoles.Operator)).ShouldContain(PlatformScopes.QuotaAdmin);
        UserScopeGrants.For(PlatformResources.Quota, User(DemoDirectory.ContosoTenantId, PlatformRoles.TenantAdmin)).ShouldNotContain(PlatformScopes.QuotaAdmin);
    }
}
