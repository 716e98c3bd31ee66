using System.Diagnostics;
using McpPlatform.Core;
using McpPlatform.McpServer.Quota;
using ModelContextProtocol.Protocol;

namespace McpPlatform.McpServer.Pipeline;

/// <summary>
/// One <c>tools/call</c> as the call pipeline records it, one per request scope: the tool, who it
/// is for, what it used, and how it ended with which code. The pipeline's steps and the tool write
/// here; metrics and audit read the outcome here instead of parsing it back out of the result.
/// A tool reports an expected failure with <see cref="Fail"/>, which builds the error result.
/// </summary>
public sealed class ToolCall
{
    private ToolCallOutcome? _outcome;

    /// <summary>The tool name the caller asked for (not necessarily a registered one).</summary>
    public string Tool { get; private set; } = string.Empty;

    /// <summary>The call's tenant context; null until the tenant step has built it, and when it could not.</summary>
    public TenantContext? Tenant { get; internal set; }

    /// <summary>What the call used; tools add to it, admission settles it at release.</summary>
    public InvocationUsage Usage { get; } = new();

    /// <summary>
    /// Facts the tool adds to its audit record (a JSON object of at most
    /// <see cref="AuditLimits.MaxDetailBytes"/> bytes, never secrets or arguments), e.g. the
    /// sandbox limits that applied to run_script; null for most tools.
    /// </summary>
    public System.Text.Json.JsonElement? Detail { get; set; }

    /// <summary>How the call ended; <see cref="ToolCallOutcome.Failed"/> until it has.</summary>
    public ToolCallOutcome Outcome => _outcome ?? ToolCallOutcome.Failed;

    /// <summary>The reason code of an error or denial result, if it had one.</summary>
    public string? Code { get; private set; }

    /// <summary>When the pipeline started the call (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public long StartedAt { get; private set; }

    /// <summary>How long the call has taken so far.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(StartedAt);

    /// <summary>
    /// Ends the call with an expected failure: an error result with a reason code (<c>isError</c>,
    /// <c>structuredContent.error</c>) whose code metrics and audit record as given. A platform
    /// reason code (<see cref="ReasonCodes"/>) makes the call a denial.
    /// </summary>
    /// <param name="code">A documented reason code.</param>
    /// <param name="message">A sentence for the caller (and the model) to read; never exception text.</param>
    /// <param name="retryAfterSeconds">When waiting helps, how long.</param>
    /// <returns>The tool result to return.</returns>
    public CallToolResult Fail(string code, string message, int? retryAfterSeconds = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
        _outcome = ToolErrors.IsDenial(code) ? ToolCallOutcome.Denied : ToolCallOutcome.Error;
        return ToolErrors.Create(code, message, retryAfterSeconds);
    }

    internal void Start(string? tool)
    {
        Tool = tool ?? string.Empty;
        StartedAt = Stopwatch.GetTimestamp();
    }

    // The tool's own result: an outcome set by Fail stands; otherwise the result says.
    internal void Returned(CallToolResult result) =>
        _outcome ??= result.IsError == true ? ToolCallOutcome.Error : ToolCallOutcome.Ok;

    internal void Cancelled() => _outcome = ToolCallOutcome.Cancelled;
}
