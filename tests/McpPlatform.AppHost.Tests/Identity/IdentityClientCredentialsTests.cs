using System.Net;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Identity;

public sealed class IdentityClientCredentialsTests(PlatformFixture platform)
{
    [Fact]
    public async Task ClientCredentials_ContosoAgentForToolsKnowledge_IssuesContractJwt()
    {
        await IdentityClient.WaitUntilReadyAsync(platform);
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);

        var token = await IdentityClient.AgentTokenAsync(PlatformServices.ToolsKnowledge.LocalMcpResource, cancellation.Token);
        var claims = IdentityClient.Claims(token);

        claims.GetProperty(PlatformClaims.TenantId).GetString().ShouldBe(DemoDirectory.ContosoTenantId);
        claims.GetProperty(PlatformClaims.Subject).GetString().ShouldBe(DemoDirectory.ContosoAgentClientId);
        claims.GetProperty(PlatformClaims.PrincipalType).GetString().ShouldBe(PrincipalTypes.Agent);
        claims.GetProperty(PlatformClaims.Audience).GetString().ShouldBe(PlatformServices.ToolsKnowledge.LocalMcpResource);
        claims.GetProperty(PlatformClaims.Scope).GetString().ShouldBe(PlatformScopes.McpTools);
        claims.GetProperty("iss").GetString().ShouldBe(PlatformServices.Identity.LocalOrigin + "/");
        // Default tenancy setting (Organisation, no hybrid scopes): every partition is the tenant.
        claims.GetProperty(PlatformClaims.DataPartition).GetString().ShouldBe(DemoDirectory.ContosoTenantId);
        claims.GetProperty(PlatformClaims.QuotaPartition).GetString().ShouldBe(DemoDirectory.ContosoTenantId);
        claims.GetProperty(PlatformClaims.AuditPartition).GetString().ShouldBe(DemoDirectory.ContosoTenantId);
        (claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64()).ShouldBeLessThanOrEqualTo(15 * 60);

        var header = IdentityClient.Header(token);
        header.GetProperty("alg").GetString().ShouldBe("RS256");
        header.GetProperty("typ").GetString().ShouldBe("at+jwt");
        token.Split('.').Length.ShouldBe(3, "a signed JWS, not an encrypted JWE");
    }

    [Fact]
    public async Task ClientCredentials_WrongSecret_IsInvalidClient()
    {
        await IdentityClient.WaitUntilReadyAsync(platform);
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);

        var (status, body) = await IdentityClient.ClientCredentialsAsync(
            DemoDirectory.ContosoAgentClientId, "not-the-secret", PlatformServices.ToolsKnowledge.LocalMcpResource, cancellation.Token);

        status.ShouldNotBe(HttpStatusCode.OK);
        body.GetProperty("error").GetString().ShouldBe("invalid_client");
    }

    [Theory]
    [InlineData("http://localhost:5999/mcp")]
    [InlineData("http://localhost:5200/mcp/")]
    public async Task ClientCredentials_UnregisteredResource_IsInvalidTarget(string resource)
    {
        await IdentityClient.WaitUntilReadyAsync(platform);
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);

        var (status, body) = await IdentityClient.ClientCredentialsAsync(
            DemoDirectory.ContosoAgentClientId, IdentityClient.Secret(DemoDirectory.Parameters.ContosoAgentSecret), resource, cancellation.Token);

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.GetProperty("error").GetString().ShouldBe("invalid_target");
    }

    [Fact]
    public async Task ClientCredentials_DownstreamResource_IsRefused()
    {
        await IdentityClient.WaitUntilReadyAsync(platform);
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);

        var (status, body) = await IdentityClient.ClientCredentialsAsync(
            DemoDirectory.ContosoAgentClientId, IdentityClient.Secret(DemoDirectory.Parameters.ContosoAgentSecret),
            PlatformServices.Downstream.LocalOrigin, cancellation.Token);

        status.ShouldBe(HttpStatusCode.BadRequest, "the downstream API is reachable only through token exchange");
        body.TryGetProperty("access_token", out _).ShouldBeFalse();
    }
}
