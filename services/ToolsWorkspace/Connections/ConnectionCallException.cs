namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>An expected failure of a connection call, with the reason code the tool answers with.</summary>
/// <param name="code">A documented tool error code (docs/reason-codes.md).</param>
/// <param name="message">A sentence for the caller; never exception text, never a secret.</param>
/// <param name="retryAfterSeconds">When waiting helps, how long.</param>
public sealed class ConnectionCallException(string code, string message, int? retryAfterSeconds = null) : Exception(message)
{
    /// <summary>The reason code.</summary>
    public string Code { get; } = code;

    /// <summary>When waiting helps, how long.</summary>
    public int? RetryAfterSeconds { get; } = retryAfterSeconds;
}
