using System.Net;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Identity;

public sealed class IdentityTokenExchangeTests(PlatformFixture platform)
{
    private static readonly string _knowledge = PlatformServices.ToolsKnowledge.LocalMcpResource;
    private static readonly string _workspace = PlatformServices.ToolsWorkspace.LocalMcpResource;
    private static readonly string _downstream = PlatformServices.Downstream.LocalOrigin;

    private static string KnowledgeSecret => IdentityClient.Secret(DemoDirectory.Parameters.ToolsKnowledgeClientSecret);

    private static string WorkspaceSecret => IdentityClient.Secret(DemoDirectory.Parameters.ToolsWorkspaceClientSecret);

    [Fact]
    public async Task Exchange_ToolsKnowledgeForDownstream_IssuesDelegatedShortLivedToken()
    {
        await IdentityClient.WaitUntilReadyAsync(platform);
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);
        var subject = await IdentityClient.AgentTokenAsync(_knowledge, cancellation.Token);
        var invocationId = Guid.NewGuid().ToString("N");

        var (status, body) = await IdentityClient.ExchangeAsync(
            DemoDirectory.ToolsKnowledgeClientId, KnowledgeSecret, subject, _downstream, invocationId, cancellation.Token);

        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        body.GetProperty("issued_token_type").GetString().ShouldBe(TokenExchange.AccessTokenType);
        var exchanged = IdentityClient.Claims(body.GetProperty("access_token").GetString()!);
        var original = IdentityClient.Claims(subject);
        exchanged.GetProperty(PlatformClaims.Audience).GetString().ShouldBe(_downstream);
        exchanged.GetProperty(PlatformClaims.Actor).GetProperty("sub").GetString().ShouldBe(DemoDirectory.ToolsKnowledgeClientId);
        exchanged.GetProperty(PlatformClaims.InvocationId).GetString().ShouldBe(invocationId);
        exchanged.GetProperty(PlatformClaims.TenantId).GetString().ShouldBe(original.GetProperty(PlatformClaims.TenantId).GetString());
        exchanged.GetProperty(PlatformClaims.Subject).GetString().ShouldBe(original.GetProperty(PlatformClaims.Subject).GetString());
        exchanged.GetProperty(PlatformClaims.PrincipalType).GetString().ShouldBe(PrincipalTypes.Agent);
        exchanged.GetProperty(PlatformClaims.Scope).GetString().ShouldBe(PlatformScopes.DownstreamApi);
        exchanged.GetProperty(PlatformClaims.QuotaPartition).GetString()
            .ShouldBe(original.GetProperty(PlatformClaims.QuotaPartition).GetString());
        (exchanged.GetProperty("exp").GetInt64() - exchanged.GetProperty("iat").GetInt64())
            .ShouldBeLessThanOrEqualTo((long)TokenExchange.MaxLifetime.TotalSeconds);
    }

    [Fact]
    public async Task Exchange_ByAgentClient_IsRefused()
    {
        await IdentityClient.WaitUntilReadyAsync(platform);
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);
        var subject = await IdentityClient.AgentTokenAsync(_knowledge, cancellation.Token);

        var (status, body) = await IdentityClient.ExchangeAsync(
            DemoDirectory.ContosoAgentClientId, IdentityClient.Secret(DemoDirectory.Parameters.ContosoAgentSecret),
            subject, _downstream, "inv-agent", cancellation.Token);

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.GetProperty("error").GetString().ShouldBe("unauthorized_client");
    }

    [Fact]
    public async Task Exchange_SubjectTokenSentToAnotherServer_IsInvalidGrant()
    {
        await IdentityClient.WaitUntilReadyAsync(platform);
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);
        var sentToWorkspace = await IdentityClient.AgentTokenAsync(_workspace, cancellation.Token);

        var (status, body) = await IdentityClient.ExchangeAsync(
            DemoDirectory.ToolsKnowledgeClientId, KnowledgeSecret, sentToWorkspace, _downstream, "inv-other", cancellation.Token);

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.GetProperty("error").GetString().ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Exchange_UnregisteredAudience_IsInvalidTarget()
    {
        await IdentityClient.WaitUntilReadyAsync(platform);
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);
        var subject = await IdentityClient.AgentTokenAsync(_knowledge, cancellation.Token);

        var (status, body) = await IdentityClient.ExchangeAsync(
            DemoDirectory.ToolsKnowledgeClientId, KnowledgeSecret, subject, "http://localhost:5999", "inv-unknown", cancellation.Token);

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.GetProperty("error").GetString().ShouldBe("invalid_target");
    }

    [Fact]
    public async Task Exchange_BeyondActorChainDepth_IsInvalidGrant()
    {
        await IdentityClient.WaitUntilReadyAsync(platform);
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);
        var subject = await IdentityClient.AgentTokenAsync(_knowledge, cancellation.Token);

        // knowledge → workspace (1 actor), workspace → knowledge (2 actors, the limit) …
        var first = await ExchangeOkAsync(DemoDirectory.ToolsKnowledgeClientId, KnowledgeSecret, subject, _workspace, cancellation.Token);
        var second = await ExchangeOkAsync(DemoDirectory.ToolsWorkspaceClientId, WorkspaceSecret, first, _knowledge, cancellation.Token);
        var act = IdentityClient.Claims(second).GetProperty(PlatformClaims.Actor);
        act.GetProperty("sub").GetString().ShouldBe(DemoDirectory.ToolsWorkspaceClientId);
        act.GetProperty("act").GetProperty("sub").GetString().ShouldBe(DemoDirectory.ToolsKnowledgeClientId);
        IdentityClient.Claims(second).GetProperty(PlatformClaims.TenantId).GetString().ShouldBe(DemoDirectory.ContosoTenantId);

        // … and a third actor is one too many.
        var (status, body) = await IdentityClient.ExchangeAsync(
            DemoDirectory.ToolsKnowledgeClientId, KnowledgeSecret, second, _downstream, "inv-3", cancellation.Token);

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.GetProperty("error").GetString().ShouldBe("invalid_grant");
        TokenExchange.MaxActorChainDepth.ShouldBe(2);
    }

    private static async Task<string> ExchangeOkAsync(
        string clientId, string secret, string subject, string resource, CancellationToken cancellationToken)
    {
        var (status, body) = await IdentityClient.ExchangeAsync(clientId, secret, subject, resource, "inv-chain", cancellationToken);
        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        return body.GetProperty("access_token").GetString()!;
    }
}
