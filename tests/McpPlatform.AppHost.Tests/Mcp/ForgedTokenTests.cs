using System.Net;
using System.Text.Json.Nodes;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Mcp;

/// <summary>
/// Tokens validly signed with identity's key but wrong in one property each. The first test is
/// the control: the same construction with nothing wrong is accepted, so every refusal below is
/// for the property under test.
/// </summary>
public sealed class ForgedTokenTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Control_ValidlySignedWellFormedToken_Accepted()
    {
        var (key, payload) = await PrepareAsync();
        using (key)
        {
            using var response = await McpAuthorizationTests.PostInitializeAsync(key.Sign(payload));
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Expired_401()
    {
        var (key, payload) = await PrepareAsync();
        using (key)
        {
            payload["iat"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();
            payload["nbf"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();
            payload["exp"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds();

            using var response = await McpAuthorizationTests.PostInitializeAsync(key.Sign(payload));

            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task MissingTenantId_403()
    {
        var (key, payload) = await PrepareAsync();
        using (key)
        {
            payload.Remove(PlatformClaims.TenantId);

            using var response = await McpAuthorizationTests.PostInitializeAsync(key.Sign(payload));

            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await response.Content.ReadAsStringAsync(Cancel)).ShouldContain("tenant_required");
        }
    }

    [Fact]
    public async Task MissingScope_403InsufficientScopeNamingTheScope()
    {
        var (key, payload) = await PrepareAsync();
        using (key)
        {
            payload[PlatformClaims.Scope] = "openid";

            using var response = await McpAuthorizationTests.PostInitializeAsync(key.Sign(payload));

            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            var challenge = response.Headers.WwwAuthenticate.ToString();
            challenge.ShouldContain("error=\"insufficient_scope\"");
            challenge.ShouldContain($"scope=\"{PlatformScopes.McpTools}\"");
            challenge.ShouldContain("resource_metadata=");
        }
    }

    [Fact]
    public async Task WrongAudience_401()
    {
        var (key, payload) = await PrepareAsync();
        using (key)
        {
            payload["aud"] = PlatformServices.ToolsWorkspace.LocalMcpResource;

            using var response = await McpAuthorizationTests.PostInitializeAsync(key.Sign(payload));

            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task WrongIssuerWithRealKey_401()
    {
        var (key, payload) = await PrepareAsync();
        using (key)
        {
            payload["iss"] = "http://localhost:5999/";

            using var response = await McpAuthorizationTests.PostInitializeAsync(key.Sign(payload));

            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }

    private async Task<(IdentitySigningKey Key, JsonObject Payload)> PrepareAsync()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);
        // Take the issuer from a real token so the control matches what identity issues.
        var issuer = PlatformTokens.Payload(await PlatformTokens.ContosoAgentAsync(Cancel)).GetProperty("iss").GetString()!;
        return (await IdentitySigningKey.LoadAsync(Cancel), IdentitySigningKey.ContosoAgentPayload(issuer, DateTimeOffset.UtcNow));
    }
}
