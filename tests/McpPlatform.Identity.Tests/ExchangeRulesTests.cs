using McpPlatform.Core;
using McpPlatform.Identity.Data;
using McpPlatform.Identity.Exchange;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace McpPlatform.Identity.Tests;

public sealed class ExchangeRulesTests
{
    private static readonly string _knowledge = PlatformResources.ToolsKnowledge.Uri;
    private static readonly string _workspace = PlatformResources.ToolsWorkspace.Uri;
    private static readonly string _downstream = PlatformResources.Downstream.Uri;

    // A valid exchange by tools-knowledge of a token sent to it, for the downstream API.
    private static ExchangeFacts Valid() => new()
    {
        ClientId = DemoDirectory.ToolsKnowledgeClientId,
        ClientKind = ClientKinds.ResourceServer,
        ClientResource = _knowledge,
        AllowedTargets = [_downstream, _workspace],
        RequestedTargets = [_downstream],
        SubjectTokenType = TokenExchange.AccessTokenType,
        InvocationId = "inv-1",
        SubjectAudiences = [_knowledge],
        SubjectTenantId = DemoDirectory.ContosoTenantId,
        SubjectSubject = DemoDirectory.ContosoAgentClientId,
        SubjectPrincipalType = PrincipalTypes.Agent,
    };

    [Fact]
    public void Evaluate_ServerExchangesTokenSentToIt_AllowsDownstream()
    {
        var decision = ExchangeRules.Evaluate(Valid());

        decision.IsAllowed.ShouldBeTrue(decision.Description);
        decision.Target.ShouldBe(PlatformResources.Downstream);
    }

    [Theory]
    [InlineData(ClientKinds.Agent)]
    [InlineData(ClientKinds.Public)]
    [InlineData(null)]
    public void Evaluate_ClientNotAResourceServer_IsUnauthorizedClient(string? kind)
    {
        Deny(Valid() with { ClientKind = kind }).ShouldBe(Errors.UnauthorizedClient);
    }

    [Fact]
    public void Evaluate_ServerWithoutOwnResource_IsUnauthorizedClient()
    {
        Deny(Valid() with { ClientResource = null }).ShouldBe(Errors.UnauthorizedClient);
    }

    [Fact]
    public void Evaluate_TargetNotAllowedForClient_IsInvalidTarget()
    {
        Deny(Valid() with { AllowedTargets = [_workspace] }).ShouldBe(Errors.InvalidTarget);
    }

    [Fact]
    public void Evaluate_UnregisteredTarget_IsInvalidTarget()
    {
        Deny(Valid() with { RequestedTargets = ["http://localhost:9999"], AllowedTargets = ["http://localhost:9999"] })
            .ShouldBe(Errors.InvalidTarget);
    }

    [Fact]
    public void Evaluate_TwoTargets_IsInvalidTarget()
    {
        Deny(Valid() with { RequestedTargets = [_downstream, _workspace] }).ShouldBe(Errors.InvalidTarget);
    }

    [Fact]
    public void Evaluate_NoTarget_IsInvalidTarget()
    {
        Deny(Valid() with { RequestedTargets = [] }).ShouldBe(Errors.InvalidTarget);
    }

    [Fact]
    public void Evaluate_SameTargetAsAudienceAndResource_CountsOnce()
    {
        ExchangeRules.Evaluate(Valid() with { RequestedTargets = [_downstream, _downstream] }).IsAllowed.ShouldBeTrue();
    }

    [Fact]
    public void Evaluate_TargetIsServersOwnResource_IsInvalidTarget()
    {
        Deny(Valid() with { RequestedTargets = [_knowledge], AllowedTargets = [_knowledge] }).ShouldBe(Errors.InvalidTarget);
    }

    [Fact]
    public void Evaluate_SubjectTokenSentToAnotherServer_IsInvalidGrant()
    {
        Deny(Valid() with { SubjectAudiences = [_workspace] }).ShouldBe(Errors.InvalidGrant);
    }

    [Fact]
    public void Evaluate_SubjectTokenWithSeveralAudiences_IsInvalidGrant()
    {
        Deny(Valid() with { SubjectAudiences = [_knowledge, _workspace] }).ShouldBe(Errors.InvalidGrant);
    }

    [Fact]
    public void Evaluate_SubjectWithoutTenant_IsInvalidGrant()
    {
        Deny(Valid() with { SubjectTenantId = null }).ShouldBe(Errors.InvalidGrant);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void Evaluate_MissingInvocationId_IsInvalidRequest(string? invocationId)
    {
        Deny(Valid() with { InvocationId = invocationId }).ShouldBe(Errors.InvalidRequest);
    }

    [Fact]
    public void Evaluate_OverlongInvocationId_IsInvalidRequest()
    {
        Deny(Valid() with { InvocationId = new string('x', ExchangeRules.MaxInvocationIdLength + 1) }).ShouldBe(Errors.InvalidRequest);
    }

    [Fact]
    public void Evaluate_ActorToken_IsInvalidRequest()
    {
        Deny(Valid() with { HasActorToken = true }).ShouldBe(Errors.InvalidRequest);
    }

    [Fact]
    public void Evaluate_SubjectTokenNotAnAccessToken_IsInvalidRequest()
    {
        Deny(Valid() with { SubjectTokenType = "urn:ietf:params:oauth:token-type:id_token" }).ShouldBe(Errors.InvalidRequest);
    }

    [Fact]
    public void Evaluate_SubjectOneActorDeep_AllowsSecondActor()
    {
        ExchangeRules.Evaluate(Valid() with { SubjectActor = """{"sub":"tools-workspace"}""" }).IsAllowed.ShouldBeTrue();
    }

    [Fact]
    public void Evaluate_SubjectAtMaxActorDepth_IsInvalidGrant()
    {
        var atLimit = """{"sub":"tools-workspace","act":{"sub":"tools-knowledge"}}""";
        ActorChain.Depth(atLimit).ShouldBe(TokenExchange.MaxActorChainDepth);

        Deny(Valid() with { SubjectActor = atLimit }).ShouldBe(Errors.InvalidGrant);
    }

    [Fact]
    public void Evaluate_MalformedActorClaim_IsInvalidGrant()
    {
        Deny(Valid() with { SubjectActor = "{" }).ShouldBe(Errors.InvalidGrant);
    }

    [Fact]
    public void WasSentTo_ExactAudience_IsTrue_AndTrailingSlashIsNot()
    {
        ExchangeRules.WasSentTo([_knowledge], _knowledge).ShouldBeTrue();
        ExchangeRules.WasSentTo([_knowledge + "/"], _knowledge).ShouldBeFalse();
        ExchangeRules.WasSentTo([_knowledge], null).ShouldBeFalse();
    }

    private static string? Deny(ExchangeFacts facts)
    {
        var decision = ExchangeRules.Evaluate(facts);
        decision.IsAllowed.ShouldBeFalse();
        return decision.Error;
    }
}
