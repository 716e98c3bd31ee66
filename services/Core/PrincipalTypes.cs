namespace McpPlatform.Core;

/// <summary>Values of <see cref="PlatformClaims.PrincipalType"/>.</summary>
public static class PrincipalTypes
{
    /// <summary>A person signed in through authorization code + PKCE.</summary>
    public const string User = "user";

    /// <summary>An agent: an OAuth client bound to one tenant, using client credentials.</summary>
    public const string Agent = "agent";
}
