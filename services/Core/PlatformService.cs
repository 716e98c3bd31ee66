namespace McpPlatform.Core;

/// <summary>
/// One part of the platform: its Aspire resource name and its fixed local URL
/// (docs/architecture.md, "Shared contracts"). The single place these names and ports are written.
/// </summary>
/// <param name="ResourceName">The Aspire resource name, also the service's logical name.</param>
/// <param name="LocalPort">The fixed local HTTP port.</param>
public sealed record PlatformService(string ResourceName, int LocalPort)
{
    /// <summary>The fixed local base URL, e.g. <c>http://localhost:5100</c>.</summary>
    public Uri LocalUrl => new(LocalOrigin);

    /// <summary>The local origin without a trailing slash: <c>http://localhost:5700</c>. An API's audience.</summary>
    public string LocalOrigin => $"http://localhost:{LocalPort}";

    /// <summary>An MCP server's resource identifier and token audience: <c>http://localhost:5200/mcp</c>.</summary>
    public string LocalMcpResource => LocalOrigin + McpConventions.Path;
}
