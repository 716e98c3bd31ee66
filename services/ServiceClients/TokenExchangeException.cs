namespace McpPlatform.ServiceClients;

/// <summary>The authorization server refused a token exchange.</summary>
/// <param name="error">The OAuth error code.</param>
/// <param name="description">The server's description.</param>
public sealed class TokenExchangeException(string error, string description) : Exception($"{error}: {description}")
{
    /// <summary>The OAuth error code (e.g. <c>invalid_grant</c>, <c>unauthorized_client</c>).</summary>
    public string Error { get; } = error;
}

/// <summary>
/// The authorization server could not be asked: unreachable, timed out, answered 5xx or with
/// something that is not an OAuth response, or said <c>temporarily_unavailable</c> (for example
/// when it cannot write the exchange's audit record). Nothing was exchanged; retry later.
/// </summary>
/// <param name="reason">What happened, without any token or exception text of the server's.</param>
/// <param name="inner">The transport failure, when there was one.</param>
public sealed class IdentityUnavailableException(string reason, Exception? inner = null) : Exception(reason, inner);
