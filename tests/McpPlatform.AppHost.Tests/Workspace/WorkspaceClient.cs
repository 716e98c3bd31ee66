using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpPlatform.AppHost.Tests.Identity;
using McpPlatform.AppHost.Tests.Mcp;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpPlatform.AppHost.Tests.Workspace;

/// <summary>Talks to tools-workspace (MCP and the connections API) and to the partner sample as their callers do.</summary>
internal static class WorkspaceClient
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static Task<string> ContosoAgentAsync(CancellationToken cancellationToken) =>
        PlatformTokens.AgentTokenAsync(DemoDirectory.ContosoAgentClientId, DemoDirectory.Parameters.ContosoAgentSecret,
            PlatformServices.ToolsWorkspace.LocalMcpResource, cancellationToken);

    public static Task<string> FabrikamAgentAsync(CancellationToken cancellationToken) =>
        PlatformTokens.AgentTokenAsync(DemoDirectory.FabrikamAgentClientId, DemoDirectory.Parameters.FabrikamAgentSecret,
            PlatformServices.ToolsWorkspace.LocalMcpResource, cancellationToken);

    /// <summary>A tenant admin's token for tools-workspace asking for the connections API's scope too.</summary>
    public static Task<string> AdminAsync(string userName, string passwordParameter, CancellationToken cancellationToken, string? scope = null) =>
        IdentityClient.UserAccessTokenAsync(userName, passwordParameter, PlatformServices.ToolsWorkspace.LocalMcpResource,
            scope ?? $"{PlatformScopes.McpTools} {PlatformScopes.WorkspaceAdmin}", cancellationToken);

    public static Task<string> AliceAsync(CancellationToken cancellationToken) =>
        AdminAsync(DemoDirectory.ContosoUserName, DemoDirectory.Parameters.ContosoUserPassword, cancellationToken);

    public static Task<string> BobAsync(CancellationToken cancellationToken) =>
        AdminAsync(DemoDirectory.FabrikamUserName, DemoDirectory.Parameters.FabrikamUserPassword, cancellationToken);

    public static Task<McpClient> ConnectAsync(string token, CancellationToken cancellationToken) =>
        McpClientFactory.ConnectAsync(PlatformServices.ToolsWorkspace, token, cancellationToken);

    /// <summary>Calls call_connection with the given arguments (null ones left out).</summary>
    public static Task<CallToolResult> CallConnectionAsync(
        McpClient client, string connection, string path, CancellationToken cancellationToken, string? method = null, string? body = null)
    {
        var arguments = new Dictionary<string, object?> { ["connection"] = connection, ["path"] = path };
        if (method is not null)
        {
            arguments["method"] = method;
        }

        if (body is not null)
        {
            arguments["body"] = body;
        }

        return client.CallToolAsync("call_connection", arguments, cancellationToken: cancellationToken).AsTask();
    }

    /// <summary>Calls run_script (null arguments left out), with an invocation id of its own.</summary>
    public static Task<CallToolResult> RunScriptAsync(
        McpClient client, string script, CancellationToken cancellationToken, object? input = null, int? timeoutSeconds = null, string? invocationId = null)
    {
        var arguments = new Dictionary<string, JsonElement> { ["script"] = JsonSerializer.SerializeToElement(script) };
        if (input is not null)
        {
            arguments["input"] = JsonSerializer.SerializeToElement(input);
        }

        if (timeoutSeconds is not null)
        {
            arguments["timeoutSeconds"] = JsonSerializer.SerializeToElement(timeoutSeconds);
        }

        return client.CallToolAsync(new CallToolRequestParams
        {
            Name = "run_script",
            Arguments = arguments,
            Meta = new System.Text.Json.Nodes.JsonObject { [McpConventions.InvocationIdMetaKey] = invocationId ?? $"script-{Guid.NewGuid():N}" },
        }, cancellationToken).AsTask();
    }

    /// <summary>The id of the worker that ran a run_script call (from its result or nothing).</summary>
    public static string WorkerOf(CallToolResult result)
    {
        result.IsError.ShouldNotBe(true, result.StructuredContent?.GetRawText());
        return result.StructuredContent!.Value.GetProperty("sandbox").GetProperty("worker").GetString()!;
    }

    /// <summary>The reason code of a tool error result (and checks it is one).</summary>
    public static string ErrorCode(CallToolResult result)
    {
        result.IsError.ShouldBe(true, result.StructuredContent?.GetRawText());
        result.StructuredContent.ShouldNotBeNull(string.Join(" ", result.Content.OfType<TextContentBlock>().Select(c => c.Text)));
        return result.StructuredContent.Value.GetProperty("error").GetProperty("code").GetString()!;
    }

    /// <summary>The connections API, with a bearer token.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(
        HttpMethod method, string path, string bearer, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(PlatformServices.ToolsWorkspace.LocalUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await s_http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, JsonDocument.Parse(string.IsNullOrEmpty(text) ? "{}" : text).RootElement.Clone());
    }

    /// <summary>The partner's record of requests after <paramref name="after"/>.</summary>
    public static async Task<JsonElement[]> PartnerRequestsAsync(long after, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(await s_http.GetStringAsync(
            new Uri(PlatformServices.Partner.LocalUrl, $"/v1/requests?after={after}"), cancellationToken));
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>
    /// The partner's record of requests after <paramref name="after"/> that carried a valid key: what
    /// tools-workspace sent (other tests' hostile requests to partner carry none or a wrong one).
    /// </summary>
    public static async Task<JsonElement[]> KeyedPartnerRequestsAsync(long after, CancellationToken cancellationToken) =>
        [.. (await PartnerRequestsAsync(after, cancellationToken)).Where(r => r.GetProperty("tenant").ValueKind == JsonValueKind.String)];

    /// <summary>The last sequence number partner has recorded (0 when none).</summary>
    public static async Task<long> PartnerLastSeqAsync(CancellationToken cancellationToken) =>
        (await PartnerRequestsAsync(0, cancellationToken)).Select(r => r.GetProperty("seq").GetInt64()).DefaultIfEmpty(0).Max();

    /// <summary>SHA-256 hex of an AppHost parameter's value: what partner shows for a request that carried it.</summary>
    public static string KeySha256(string parameterName) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(DemoSecrets.Get(parameterName))));

    /// <summary>A connection definition for the partner sample.</summary>
    public static object PartnerDefinition(string[]? prefixes = null, string[]? methods = null, string? baseUrl = null) => new
    {
        baseUrl = baseUrl ?? PlatformServices.Partner.LocalOrigin,
        secretName = DemoDirectory.PartnerSecretName,
        credentialHeader = "X-Api-Key",
        allowedPathPrefixes = prefixes ?? ["/v1/"],
        allowedMethods = methods ?? ["GET"],
    };
}
