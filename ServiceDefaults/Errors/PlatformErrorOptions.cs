namespace McpPlatform.ServiceDefaults.Errors;

/// <summary>How the shared error rule shapes its own refusals (docs/errors.md).</summary>
public sealed class PlatformErrorOptions
{
    /// <summary>
    /// Path prefixes of OAuth 2.0 endpoints (identity's <c>/connect</c>). A refusal the shared rule
    /// makes there before the endpoint runs (NUL in a form, a form over the limits, a body too large)
    /// is an OAuth error (RFC 6749 §5.2, <c>invalid_request</c>) instead of a problem, so OAuth
    /// clients read it as they read every other error of the endpoint.
    /// </summary>
    public IList<string> OAuthPathPrefixes { get; } = [];
}
