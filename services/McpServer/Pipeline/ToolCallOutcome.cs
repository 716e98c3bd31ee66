namespace McpPlatform.McpServer.Pipeline;

/// <summary>How a tool call ended, as the call pipeline saw it.</summary>
public enum ToolCallOutcome
{
    /// <summary>Not ended yet, or the tool threw: the call failed without a result of its own.</summary>
    Failed,

    /// <summary>The tool returned a result.</summary>
    Ok,

    /// <summary>The tool (or the tenant step) returned an error result.</summary>
    Error,

    /// <summary>Admission (or another platform check) refused with a platform reason code; the tool did not run.</summary>
    Denied,

    /// <summary>The caller went away before the call ended.</summary>
    Cancelled,
}
