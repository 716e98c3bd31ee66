using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpPlatform.Core;
using ModelContextProtocol.Client;

namespace McpPlatform.AppHost.Tests.Mcp;

/// <summary>The official MCP C# client, connected to an MCP server with a bearer token.</summary>
internal static class McpClientFactory
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromMinutes(2) };

    public static async Task<McpClient> ConnectAsync(PlatformService server, string bearerToken, CancellationToken cancellationToken)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.LocalMcpResource),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {bearerToken}" },
            ConnectionTimeout = TimeSpan.FromSeconds(30),
        });
        return await McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Posts a JSON-RPC body as bytes (so it can be invalid UTF-8 or hold escapes the client would
    /// never send) to a stateless MCP server; returns the status and the JSON message, SSE or not.
    /// </summary>
    public static async Task<(int Status, JsonElement? Message)> RawCallAsync(PlatformService server, string bearerToken, byte[] jsonBody, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.LocalMcpResource)
        {
            Content = new ByteArrayContent(jsonBody),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await s_http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var json = text.TrimStart().StartsWith('{') ? text
            : string.Join('\n', text.Split('\n').Where(line => line.StartsWith("data:", StringComparison.Ordinal)).Select(line => line[5..].Trim()));
        return ((int)response.StatusCode, string.IsNullOrWhiteSpace(json) ? null : JsonDocument.Parse(json).RootElement.Clone());
    }

    /// <summary>A tools/call request body (id 1) with the arguments as given, raw.</summary>
    public static byte[] ToolCallJson(string tool, string argumentsJson, string? invocationId = null) =>
        Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":""" + JsonSerializer.Serialize(tool)
            + ""","arguments":""" + argumentsJson
            + (invocationId is null ? string.Empty : ",\"_meta\":{" + JsonSerializer.Serialize(McpConventions.InvocationIdMetaKey) + ":" + JsonSerializer.Serialize(invocationId) + "}")
            + "}}");
}
