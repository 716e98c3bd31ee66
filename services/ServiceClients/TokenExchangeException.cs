namespace McpPlatform.ServiceClients;

/// <summary>The authorization server refused a token exchange.</summary>
/// <param name="error">The OAuth error code.</param>
/// <param name="description">The server's description.</param>
public sealed class TokenExchangeException(string error, string description) : Exception($"{error}: {description}")
{
    /// <summary>The OAuth error code (e.g. <c>invalid_grant</c>, <c>unauthorized_client</c>).</summary>
    public string Error { get; } = error;
}
