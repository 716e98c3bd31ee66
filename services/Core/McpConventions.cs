namespace McpPlatform.Core;

/// <summary>MCP request conventions of the platform.</summary>
public static class McpConventions
{
    /// <summary>The <c>_meta</c> key a client may send with its own invocation id.</summary>
    public const string InvocationIdMetaKey = "io.mcpplatform/invocation-id";

    /// <summary>The path MCP servers serve Streamable HTTP on.</summary>
    public const string Path = "/mcp";
}
