namespace McpPlatform.McpServer.Hosting;

/// <summary>
/// How an instance sheds MCP requests it cannot serve in time (configuration section
/// <c>Mcp:Overload</c>): at most <see cref="MaxConcurrentRequests"/> run at once; one that waits
/// longer than <see cref="MaxQueueMilliseconds"/> for a slot is answered 503 with
/// <c>Retry-After</c> and code <c>server.overloaded</c>, so past capacity the calls that are served
/// stay fast instead of every call queueing (docs/reliability.md, "overload-2x").
/// </summary>
public sealed class McpOverloadOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Mcp:Overload";

    /// <summary>MCP requests running at once in this instance; 0 turns shedding off.</summary>
    public int MaxConcurrentRequests { get; set; } = 128;

    /// <summary>The longest a request waits for a slot before it is shed.</summary>
    public int MaxQueueMilliseconds { get; set; } = 500;

    /// <summary>The <c>Retry-After</c> of a shed request, in seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Whether requests are limited at all.</summary>
    public bool Enabled => MaxConcurrentRequests > 0;
}
