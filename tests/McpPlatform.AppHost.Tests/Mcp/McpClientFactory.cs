using McpPlatform.Core;
using ModelContextProtocol.Client;

namespace McpPlatform.AppHost.Tests.Mcp;

/// <summary>The official MCP C# client, connected to an MCP server with a bearer token.</summary>
internal static class McpClientFactory
{
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
}
