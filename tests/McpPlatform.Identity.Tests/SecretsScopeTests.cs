using System.Security.Claims;
using System.Text.Json;
using McpPlatform.Core;
using McpPlatform.Identity.Apis;
using McpPlatform.Identity.Data;
using McpPlatform.Identity.Exchange;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace McpPlatform.Identity.Tests;

/// <summary>
/// Who gets which secrets scope: users manage secrets (secrets:write) only as their tenant's
/// admin; an exchanged token for secrets carries secrets:read and never secrets:write.
/// </summary>
public sealed class SecretsScopeTests
{
    private static ClaimsIdentity User(string? tenant, params string[] roles)
    {
        var identity = new ClaimsIdentity("test");
        identity.AddClaim(new Claim(PlatformClaims.Subject, "user-1"));
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
    public void Secrets_IsRegisteredAtTheContractUrl_WriteForUsersReadForExchanges()
    {
        PlatformResources.Find(PlatformServices.Secrets.LocalOrigin).ShouldBe(PlatformResources.Secrets);
        PlatformResources.Secrets.Scope.ShouldBe(PlatformScopes.SecretsWrite);
        PlatformResources.Secrets.TokenExchangeScope.ShouldBe(PlatformScopes.SecretsRead);
        PlatformResources.Secrets.ExchangeOnly.ShouldBeFalse();
        PlatformResources.Secrets.ServiceScope.ShouldBeNull();
    }

    [Fact]
    public void GrantableUserScopes_TenantAdmin_GetsSecretsWrite()
    {
        UserScopeGrants.For(PlatformResources.Secrets, User(DemoDirectory.ContosoTenantId, PlatformRoles.TenantAdmin))
            .ShouldContain(PlatformScopes.SecretsWrite);
    }

    [Theory]
    [InlineData(PlatformRoles.TenantMember)]
    [InlineData(PlatformRoles.Operator)]
    public void GrantableUserScopes_NotATenantAdmin_GetsNoSecretsScope(string role)
    {
        var scopes = UserScopeGrants.For(PlatformResources.Secrets, User(DemoDirectory.ContosoTenantId, role));

        scopes.ShouldNotContain(PlatformScopes.SecretsWrite);
        scopes.ShouldNotContain(PlatformScopes.SecretsRead);
    }

    [Fact]
    public void GrantableUserScopes_OperatorWithoutTenant_GetsNoSecretsWrite()
    {
        UserScopeGrants.For(PlatformResources.Secrets, User(tenant: null, PlatformRoles.Operator, PlatformRoles.TenantAdmin))
            .ShouldNotContain(PlatformScopes.SecretsWrite);
    }

    [Fact]
    public void GrantableUserScopes_OtherResources_NeverIncludeSecretsScopes()
    {
        foreach (var resource in PlatformResources.All.Where(r => r != PlatformResources.Secrets))
        {
            var scopes = UserScopeGrants.For(resource, User(DemoDirectory.ContosoTenantId, PlatformRoles.TenantAdmin));
            scopes.ShouldNotContain(PlatformScopes.SecretsWrite, resource.Uri);
            scopes.ShouldNotContain(PlatformScopes.SecretsRead, resource.Uri);
        }
    }

    [Fact]
    public void Evaluate_ToolsWorkspaceExchangesAgentTokenForSecrets_AllowedWithReadScopeOnly()
    {
        var facts = new ExchangeFacts
        {
            ClientId = DemoDirectory.ToolsWorkspaceClientId,
            ClientKind = ClientKinds.ResourceServer,
            ClientResource = PlatformResources.ToolsWorkspace.Uri,
            AllowedTargets = [PlatformResources.Downstream.Uri, PlatformResources.ToolsKnowledge.Uri, PlatformResources.Secrets.Uri],
            RequestedTargets = [PlatformResources.Secrets.Uri],
            SubjectTokenType = TokenExchange.AccessTokenType,
            InvocationId = "inv-secret-1",
            SubjectAudiences = [PlatformResources.ToolsWorkspace.Uri],
            SubjectTenantId = DemoDirectory.ContosoTenantId,
            SubjectSubject = DemoDirectory.ContosoAgentClientId,
            SubjectPrincipalType = PrincipalTypes.Agent,
        };

        var decision = ExchangeRules.Evaluate(facts);

        decision.IsAllowed.ShouldBeTrue(decision.Description);
        decision.Target.ShouldBe(PlatformResources.Secrets);
        decision.Target!.TokenExchangeScope.ShouldBe(PlatformScopes.SecretsRead);
        var record = ExchangeAudit.Build(facts, decision, traceId: null, DateTimeOffset.UtcNow).ShouldNotBeNull();
        var scopes = record.Detail!.Value.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ToArray();
        scopes.ShouldBe([PlatformScopes.SecretsRead]);
    }

    [Fact]
    public void Evaluate_ClientNotAllowedSecrets_IsInvalidTarget()
    {
        var facts = new ExchangeFacts
        {
            ClientId = DemoDirectory.ToolsKnowledgeClientId,
            ClientKind = ClientKinds.ResourceServer,
            ClientResource = PlatformResources.ToolsKnowledge.Uri,
            AllowedTargets = [PlatformResources.Downstream.Uri, PlatformResources.ToolsWorkspace.Uri],
            RequestedTargets = [PlatformResources.Secrets.Uri],
            SubjectTokenType = TokenExchange.AccessTokenType,
            InvocationId = "inv-secret-2",
            SubjectAudiences = [PlatformResources.ToolsKnowledge.Uri],
            SubjectTenantId = DemoDirectory.ContosoTenantId,
            SubjectSubject = DemoDirectory.ContosoAgentClientId,
            SubjectPrincipalType = PrincipalTypes.Agent,
        };

        var decision = ExchangeRules.Evaluate(facts);

        decision.IsAllowed.ShouldBeFalse();
        decision.Error.ShouldBe(Errors.InvalidTarget);
        JsonSerializer.Serialize(ExchangeAudit.Build(facts, decision, null, DateTimeOffset.UtcNow)!.Detail).ShouldNotContain(PlatformScopes.SecretsWrite);
    }
}
