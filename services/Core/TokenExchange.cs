namespace McpPlatform.Core;

/// <summary>RFC 8693 token exchange constants and the platform's limits on it.</summary>
public static class TokenExchange
{
    /// <summary>The grant type.</summary>
    public const string GrantType = "urn:ietf:params:oauth:grant-type:token-exchange";

    /// <summary>The subject/requested token type for access tokens.</summary>
    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    /// <summary>Upper bound on an exchanged token's lifetime.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    /// <summary>How many nested <c>act</c> claims an exchanged token may carry.</summary>
    public const int MaxActorChainDepth = 2;

    /// <summary>Request parameter an actor uses to pass the invocation id.</summary>
    public const string InvocationIdParameter = "invocation_id";
}
