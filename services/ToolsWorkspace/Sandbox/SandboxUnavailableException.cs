namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>No worker could be had for a call; the message is a sentence for the caller.</summary>
public sealed class SandboxUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SandboxUnavailableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">A sentence for the caller.</param>
    public SandboxUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">A sentence for the caller.</param>
    /// <param name="innerException">The cause.</param>
    public SandboxUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
