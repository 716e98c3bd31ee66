namespace McpPlatform.Audit;

/// <summary>This server could not obtain its own token for <c>collector-tenant</c>.</summary>
/// <param name="message">What went wrong.</param>
public sealed class AuditTokenException(string message) : Exception(message);
