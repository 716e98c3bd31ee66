using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Support;

/// <summary>Gets real tokens from the running identity service, as a client would.</summary>
internal static class PlatformTokens
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The token endpoint, from the discovery document.</summary>
    public static async Task<Uri> TokenEndpointAsync(CancellationToken cancellationToken)
    {
        using var discovery = JsonDocument.Parse(await s_http.GetStringAsync(
            new Uri(PlatformServices.Identity.LocalUrl, ".well-known/openid-configuration"), cancellationToken));
        return new Uri(discovery.RootElement.GetProperty("token_endpoint").GetString()!);
    }

    /// <summary>Client credentials for one resource with the <c>mcp:tools</c> scope; the raw answer.</summary>
    public static Task<(System.Net.HttpStatusCode Status, JsonElement Body)> ClientCredentialsAsync(
        string clientId, string secret, string resource, CancellationToken cancellationToken) =>
        PostTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["resource"] = resource,
            ["scope"] = PlatformScopes.McpTools,
        }, clientId, secret, cancellationToken);

    /// <summary>Client credentials for a demo agent, for one resource.</summary>
    public static async Task<string> AgentTokenAsync(string clientId, string secretParameter, string resource, CancellationToken cancellationToken)
    {
        var (status, body) = await ClientCredentialsAsync(clientId, DemoSecrets.Get(secretParameter), resource, cancellationToken);
        status.ShouldBe(System.Net.HttpStatusCode.OK, body.GetRawText());
        return body.GetProperty("access_token").GetString()!;
    }

    public static Task<string> ContosoAgentAsync(CancellationToken cancellationToken) =>
        AgentTokenAsync(DemoDirectory.ContosoAgentClientId, DemoDirectory.Parameters.ContosoAgentSecret,
            PlatformServices.ToolsKnowledge.LocalMcpResource, cancellationToken);

    public static Task<string> FabrikamAgentAsync(CancellationToken cancellationToken) =>
        AgentTokenAsync(DemoDirectory.FabrikamAgentClientId, DemoDirectory.Parameters.FabrikamAgentSecret,
            PlatformServices.ToolsKnowledge.LocalMcpResource, cancellationToken);

    /// <summary>RFC 8693 exchange of <paramref name="subjectToken"/>, authenticating as <paramref name="actorClientId"/>.</summary>
    public static Task<(System.Net.HttpStatusCode Status, JsonElement Body)> ExchangeAsync(
        string actorClientId, string actorSecret, string subjectToken, string resource, string invocationId,
        CancellationToken cancellationToken) =>
        PostTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = TokenExchange.GrantType,
            ["subject_token"] = subjectToken,
            ["subject_token_type"] = TokenExchange.AccessTokenType,
            ["requested_token_type"] = TokenExchange.AccessTokenType,
            ["resource"] = resource,
            [TokenExchange.InvocationIdParameter] = invocationId,
        }, actorClientId, actorSecret, cancellationToken);

    /// <summary>RFC 8693 exchange, authenticating as the tools-knowledge server (the actor).</summary>
    public static Task<(System.Net.HttpStatusCode Status, JsonElement Body)> ExchangeAsToolsKnowledgeAsync(
        string subjectToken, string resource, string invocationId, CancellationToken cancellationToken) =>
        ExchangeAsync(DemoDirectory.ToolsKnowledgeClientId, DemoSecrets.Get(DemoDirectory.Parameters.ToolsKnowledgeClientSecret),
            subjectToken, resource, invocationId, cancellationToken);

    public static async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> PostTokenAsync(
        Dictionary<string, string> form, string clientId, string clientSecret, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, await TokenEndpointAsync(cancellationToken))
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}")));
        using var response = await s_http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, JsonDocument.Parse(string.IsNullOrEmpty(text) ? "{}" : text).RootElement.Clone());
    }

    /// <summary>base64url without padding (RFC 7515 §2), as JWTs and PKCE use it.</summary>
    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The payload of a JWT, decoded without validation (the tests check what services validate).</summary>
    public static JsonElement Payload(string jwt)
    {
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Convert.FromBase64String(part)).RootElement.Clone();
    }
}
