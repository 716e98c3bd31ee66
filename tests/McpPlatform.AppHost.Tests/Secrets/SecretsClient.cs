using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.AppHost.Tests.Identity;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Secrets;

/// <summary>Talks to the secrets service as its callers do: tenant admins, and MCP servers with exchanged tokens.</summary>
internal static class SecretsClient
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The tool the demo secrets allow.</summary>
    public const string AllowedTool = "call_connection";

    /// <summary>A real user token for secrets (authorization code + PKCE, asking for <c>secrets:write</c>).</summary>
    public static Task<string> UserTokenAsync(string userName, string passwordParameter, CancellationToken cancellationToken) =>
        IdentityClient.UserAccessTokenAsync(userName, passwordParameter, PlatformServices.Secrets.LocalOrigin, PlatformScopes.SecretsWrite, cancellationToken);

    public static Task<string> AliceAsync(CancellationToken cancellationToken) =>
        UserTokenAsync(DemoDirectory.ContosoUserName, DemoDirectory.Parameters.ContosoUserPassword, cancellationToken);

    public static Task<string> BobAsync(CancellationToken cancellationToken) =>
        UserTokenAsync(DemoDirectory.FabrikamUserName, DemoDirectory.Parameters.FabrikamUserPassword, cancellationToken);

    public static Task<string> OperatorAsync(CancellationToken cancellationToken) =>
        UserTokenAsync(DemoDirectory.OperatorUserName, DemoDirectory.Parameters.OperatorPassword, cancellationToken);

    /// <summary>A demo agent's token for tools-workspace: what an MCP client sends it.</summary>
    public static Task<string> AgentAtWorkspaceAsync(string agentClientId, string secretParameter, CancellationToken cancellationToken) =>
        PlatformTokens.AgentTokenAsync(agentClientId, secretParameter, PlatformServices.ToolsWorkspace.LocalMcpResource, cancellationToken);

    /// <summary>tools-workspace exchanging an agent's token for a read token at secrets (what it does per invocation).</summary>
    public static async Task<string> ExchangeAsWorkspaceAsync(string agentToken, string invocationId, CancellationToken cancellationToken)
    {
        var (status, body) = await PlatformTokens.ExchangeAsync(DemoDirectory.ToolsWorkspaceClientId,
            DemoSecrets.Get(DemoDirectory.Parameters.ToolsWorkspaceClientSecret), agentToken, PlatformServices.Secrets.LocalOrigin,
            invocationId, cancellationToken);
        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>
    /// A token as identity would sign it, for properties identity would never issue (another
    /// server as actor, a tenant member with <c>secrets:write</c>): the service must refuse them
    /// for that property alone.
    /// </summary>
    public static async Task<string> SignedAsync(JsonObject claims, CancellationToken cancellationToken)
    {
        using var key = await IdentitySigningKey.LoadAsync(cancellationToken);
        using var discovery = JsonDocument.Parse(await s_http.GetStringAsync(
            new Uri(PlatformServices.Identity.LocalUrl, ".well-known/openid-configuration"), cancellationToken));
        var now = DateTimeOffset.UtcNow;
        var payload = new JsonObject
        {
            ["iss"] = discovery.RootElement.GetProperty("issuer").GetString(),
            ["aud"] = PlatformServices.Secrets.LocalOrigin,
            ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(),
        };
        foreach (var (name, value) in claims)
        {
            payload[name] = value?.DeepClone();
        }

        return key.Sign(payload);
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(
        HttpMethod method, string path, string? bearer, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(PlatformServices.Secrets.LocalUrl, path))
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        var response = await s_http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, JsonDocument.Parse(string.IsNullOrEmpty(text) ? "{}" : text).RootElement.Clone(), response);
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> CallAsync(
        HttpMethod method, string path, string? bearer, object? body, CancellationToken cancellationToken)
    {
        var (status, json, response) = await SendAsync(method, path, bearer, body, cancellationToken);
        response.Dispose();
        return (status, json);
    }

    /// <summary>Creates a secret as a tenant admin (201 expected) allowing tools-workspace's <c>call_connection</c>.</summary>
    public static async Task<JsonElement> CreateAsync(string admin, string name, string value, CancellationToken cancellationToken,
        string[]? servers = null, string[]? tools = null)
    {
        var (status, body) = await CallAsync(HttpMethod.Post, "/v1/secrets", admin, new
        {
            name,
            value,
            allowedServers = servers ?? [DemoDirectory.ToolsWorkspaceClientId],
            allowedTools = tools ?? [AllowedTool],
        }, cancellationToken);
        status.ShouldBe(HttpStatusCode.Created, body.GetRawText());
        return body;
    }

    public static Task<(HttpStatusCode Status, JsonElement Body)> ReadAsync(string bearer, string name, string tool, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Post, $"/v1/secrets/{name}/read", bearer, new { tool }, cancellationToken);

    /// <summary>A unique secret name for one test.</summary>
    public static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(64, prefix.Length + 33)];

    /// <summary>A unique canary value: if it shows up anywhere but the read answer, something leaked.</summary>
    public static string NewCanary() => $"canary-secret-{Guid.NewGuid():N}-Ünïcødé";
}
