using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Mcp;

/// <summary>The MCP resource-server side: what a server refuses, and how it says so.</summary>
public sealed class McpAuthorizationTests(PlatformFixture platform)
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mcp_NoToken_401WithResourceMetadataThatNamesIdentity()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);

        using var response = await PostInitializeAsync(bearer: null);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        challenge.ShouldStartWith("Bearer");
        var metadataUrl = System.Text.RegularExpressions.Regex.Match(challenge, "resource_metadata=\"([^\"]+)\"").Groups[1].Value;
        metadataUrl.ShouldNotBeNullOrEmpty(challenge);

        using var metadata = JsonDocument.Parse(await s_http.GetStringAsync(new Uri(metadataUrl), Cancel));
        metadata.RootElement.GetProperty("resource").GetString().ShouldBe(PlatformServices.ToolsKnowledge.LocalMcpResource);
        metadata.RootElement.GetProperty("authorization_servers").EnumerateArray().Select(e => e.GetString()!.TrimEnd('/'))
            .ShouldContain(PlatformServices.Identity.LocalOrigin);
        metadata.RootElement.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()).ShouldContain(PlatformScopes.McpTools);
    }

    [Fact]
    public async Task Mcp_OperatorTokenWithoutTenant_403TenantRequired()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);
        var tokens = await Identity.IdentityClient.SignInWithPkceAsync(
            DemoDirectory.OperatorUserName, DemoSecrets.Get(DemoDirectory.Parameters.OperatorPassword),
            PlatformServices.ToolsKnowledge.LocalMcpResource, Cancel);
        PlatformTokens.Payload(tokens.GetProperty("access_token").GetString()!).TryGetProperty(PlatformClaims.TenantId, out _).ShouldBeFalse();

        using var response = await PostInitializeAsync(tokens.GetProperty("access_token").GetString());

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync(Cancel)).ShouldContain("tenant_required");
    }

    [Fact]
    public async Task Mcp_TamperedSignature_401()
    {
        var token = await PlatformTokens.ContosoAgentAsync(Cancel);
        var parts = token.Split('.');
        var signature = parts[2].ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';

        using var response = await PostInitializeAsync($"{parts[0]}.{parts[1]}.{new string(signature)}");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Mcp_TamperedPayloadTenant_401()
    {
        // A valid signature over another payload: switching the tenant must not survive.
        var token = await PlatformTokens.ContosoAgentAsync(Cancel);
        var parts = token.Split('.');
        var payload = PlatformTokens.Payload(token).GetRawText().Replace(DemoDirectory.ContosoTenantId, DemoDirectory.FabrikamTenantId, StringComparison.Ordinal);

        using var response = await PostInitializeAsync($"{parts[0]}.{Base64Url(payload)}.{parts[2]}");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Mcp_AlgNone_401()
    {
        var token = await PlatformTokens.ContosoAgentAsync(Cancel);
        var header = Base64Url("{\"alg\":\"none\",\"typ\":\"at+jwt\"}");

        using var response = await PostInitializeAsync($"{header}.{token.Split('.')[1]}.");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Mcp_WrongIssuerSelfSigned_401()
    {
        var token = await PlatformTokens.ContosoAgentAsync(Cancel);
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var forged = SelfSigned(rsa, PlatformTokens.Payload(token).GetRawText()
            .Replace(PlatformServices.Identity.LocalOrigin, "http://localhost:5999", StringComparison.Ordinal));

        using var response = await PostInitializeAsync(forged);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Mcp_TokenForDownstreamAudience_401()
    {
        // A token for another audience (the downstream API), obtained legitimately by exchange.
        var subject = await PlatformTokens.ContosoAgentAsync(Cancel);
        var (status, body) = await PlatformTokens.ExchangeAsToolsKnowledgeAsync(
            subject, PlatformServices.Downstream.LocalOrigin, $"aud-{Guid.NewGuid():N}", Cancel);
        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());

        using var response = await PostInitializeAsync(body.GetProperty("access_token").GetString());

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Downstream_CallersOwnToken_401BecauseItIsNotForDownstream()
    {
        await platform.WaitForHealthyAsync(PlatformServices.Downstream.ResourceName);
        var callerToken = await PlatformTokens.ContosoAgentAsync(Cancel);

        using var response = await PostEchoAsync(callerToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Downstream_ServersOwnClientCredentialsAlone_Refused()
    {
        await platform.WaitForHealthyAsync(PlatformServices.Downstream.ResourceName);
        var (status, body) = await PlatformTokens.PostTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["resource"] = PlatformServices.Downstream.LocalOrigin,
        }, DemoDirectory.ToolsKnowledgeClientId, DemoSecrets.Get(DemoDirectory.Parameters.ToolsKnowledgeClientSecret), Cancel);

        if (status == HttpStatusCode.OK)
        {
            // If identity ever issued one, downstream must still refuse it: no tenant, no act.
            using var response = await PostEchoAsync(body.GetProperty("access_token").GetString());
            response.StatusCode.ShouldBeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden);
        }
        else
        {
            status.ShouldBe(HttpStatusCode.BadRequest, body.GetRawText());
        }
    }

    [Fact]
    public async Task Downstream_ExchangedTokenForContoso_SeesOnlyContosoCalls()
    {
        await platform.WaitForHealthyAsync(PlatformServices.Downstream.ResourceName);
        var fabrikamExchanged = await ExchangedForDownstreamAsync(await PlatformTokens.FabrikamAgentAsync(Cancel));
        using (var echo = await PostEchoAsync(fabrikamExchanged, "fabrikam-only-canary"))
        {
            echo.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var contosoExchanged = await ExchangedForDownstreamAsync(await PlatformTokens.ContosoAgentAsync(Cancel));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(PlatformServices.Downstream.LocalUrl, $"/api/calls?tenant_id={DemoDirectory.FabrikamTenantId}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", contosoExchanged);
        using var calls = await s_http.SendAsync(request, Cancel);

        calls.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await calls.Content.ReadAsStringAsync(Cancel);
        text.ShouldNotContain("fabrikam-only-canary");
        text.ShouldNotContain(DemoDirectory.FabrikamTenantId);
    }

    private static async Task<string> ExchangedForDownstreamAsync(string subject)
    {
        var (status, body) = await PlatformTokens.ExchangeAsToolsKnowledgeAsync(
            subject, PlatformServices.Downstream.LocalOrigin, $"t-{Guid.NewGuid():N}", Cancel);
        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        return body.GetProperty("access_token").GetString()!;
    }

    private static async Task<HttpResponseMessage> PostEchoAsync(string? bearer, string message = "hi")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(PlatformServices.Downstream.LocalUrl, "/api/echo"))
        {
            Content = new StringContent(JsonSerializer.Serialize(new { message }), Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await s_http.SendAsync(request, Cancel);
    }

    internal static async Task<HttpResponseMessage> PostInitializeAsync(string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, PlatformServices.ToolsKnowledge.LocalMcpResource)
        {
            Content = new StringContent(
                """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"tests","version":"1"}}}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await s_http.SendAsync(request, Cancel);
    }

    internal static string Base64Url(string json) => Base64Url(Encoding.UTF8.GetBytes(json));

    internal static string Base64Url(byte[] bytes) => PlatformTokens.Base64Url(bytes);

    internal static string SelfSigned(System.Security.Cryptography.RSA rsa, string payloadJson)
    {
        var signingInput = $"{Base64Url("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"forged\"}")}.{Base64Url(payloadJson)}";
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput),
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }
}
