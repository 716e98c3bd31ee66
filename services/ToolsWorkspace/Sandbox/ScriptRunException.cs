namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>A run_script call that ended in an expected failure with a reason code.</summary>
public sealed class ScriptRunException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ScriptRunException()
        : this(McpPlatform.Core.ToolErrorCodes.ScriptError, "The script failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">A sentence for the caller.</param>
    public ScriptRunException(string message)
        : this(McpPlatform.Core.ToolErrorCodes.ScriptError, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">A sentence for the caller.</param>
    /// <param name="innerException">The cause.</param>
    public ScriptRunException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = McpPlatform.Core.ToolErrorCodes.ScriptError;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="code">A documented tool error code.</param>
    /// <param name="message">A sentence for the caller.</param>
    /// <param name="retryAfterSeconds">When waiting helps, how long.</param>
    public ScriptRunException(string code, string message, int? retryAfterSeconds = null)
        : base(message)
    {
        Code = code;
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>The reason code.</summary>
    public string Code { get; }

    /// <summary>When waiting helps, how long.</summary>
    public int? RetryAfterSeconds { get; }

    /// <summary>What the sandbox recorded of the run, when it got that far (for the audit record).</summary>
    public ScriptSandboxFacts? Facts { get; init; }
}
