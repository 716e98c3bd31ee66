namespace McpPlatform.McpServer.Quota;

/// <summary>This server could not obtain its own token for <c>quota</c>.</summary>
/// <param name="message">What went wrong.</param>
public sealed class QuotaTokenException(string message) : Exception(message);
