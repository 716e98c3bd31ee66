namespace McpPlatform.Identity.Data;

/// <summary>Values of <see cref="ClientProperties.Kind"/>.</summary>
public static class ClientKinds
{
    /// <summary>An agent bound to one tenant (client credentials).</summary>
    public const string Agent = "agent";

    /// <summary>An MCP server acting for callers (token exchange only).</summary>
    public const string ResourceServer = "resource_server";

    /// <summary>A public client driving a user's sign-in (authorization code + PKCE).</summary>
    public const string Public = "public";

    /// <summary>
    /// A platform service calling platform APIs as itself (identity sending its audit records):
    /// client credentials for its permitted service scopes only; no tenant, no token exchange.
    /// </summary>
    public const string PlatformService = "platform_service";
}
