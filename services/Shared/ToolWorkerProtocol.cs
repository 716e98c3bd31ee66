using System.Text.Json;
using System.Text.Json.Serialization;

// The protocol between tools-workspace (the host) and McpPlatform.ToolWorker (the sandboxed script
// worker): one JSON object per line over the worker's stdin/stdout, UTF-8 without BOM, camelCase,
// null properties omitted. Linked as source into both sides so they cannot drift apart. Several
// small types share this one file on purpose: it is the contract, read as a whole.

namespace McpPlatform.ToolWorker.Protocol;

/// <summary>A line from the host to the worker: <c>run</c> or <c>fetched</c>.</summary>
/// <param name="Type"><c>run</c> | <c>fetched</c>.</param>
/// <param name="Id">run: the invocation id (opaque; echoed in <c>done</c>).</param>
/// <param name="Script">run: JavaScript source (the host caps it at 256 KiB).</param>
/// <param name="Input">run: any JSON value, the script's global <c>input</c> (undefined when absent).</param>
/// <param name="Limits">run: the limits the worker enforces itself.</param>
/// <param name="Seq">fetched: the <c>seq</c> of the fetch this answers.</param>
/// <param name="Status">fetched ok: HTTP status.</param>
/// <param name="ContentType">fetched ok: the response's content type.</param>
/// <param name="Body">fetched ok: response body text (the host already capped and redacted it).</param>
/// <param name="Truncated">fetched ok: whether the host cut the body.</param>
/// <param name="Error">fetched failed: code and message (e.g. <c>connection.not_found</c>).</param>
internal sealed record HostMessage(
    string Type,
    string? Id = null,
    string? Script = null,
    JsonElement? Input = null,
    RunLimits? Limits = null,
    int? Seq = null,
    int? Status = null,
    string? ContentType = null,
    string? Body = null,
    bool? Truncated = null,
    WorkerError? Error = null);

/// <summary>The limits of one run that the worker enforces itself (wall clock, CPU and memory are the host's).</summary>
/// <param name="MaxStatements">0 = no statement limit; else Jint's MaxStatements.</param>
/// <param name="MaxRecursion">Jint's LimitRecursion.</param>
/// <param name="MaxOutputBytes">UTF-8 bytes of console text and the value's JSON together (default 1 MiB).</param>
/// <param name="MaxFetches">http.fetch calls per run.</param>
internal sealed record RunLimits(
    long MaxStatements,
    int MaxRecursion,
    int MaxOutputBytes,
    int MaxFetches);

/// <summary>A line from the worker to the host: <c>ready</c>, <c>fetch</c> or <c>done</c>.</summary>
/// <param name="Type"><c>ready</c> | <c>fetch</c> | <c>done</c>.</param>
/// <param name="Id">done: the run's id.</param>
/// <param name="Seq">fetch: 1, 2, 3… per run.</param>
/// <param name="Connection">fetch: the tenant's connection name.</param>
/// <param name="Path">fetch: the path under the connection.</param>
/// <param name="Method">fetch: upper-case, default <c>GET</c>.</param>
/// <param name="Body">fetch: request body text or null.</param>
/// <param name="Ok">done: whether the run succeeded.</param>
/// <param name="Value">done ok: JSON of the script's completion value (absent for undefined).</param>
/// <param name="Console">done: captured console text (lines joined with "\n"), absent if none.</param>
/// <param name="Error">done failed: why.</param>
internal sealed record WorkerMessage(
    string Type,
    string? Id = null,
    int? Seq = null,
    string? Connection = null,
    string? Path = null,
    string? Method = null,
    string? Body = null,
    bool? Ok = null,
    JsonElement? Value = null,
    string? Console = null,
    WorkerError? Error = null);

/// <summary>A failure: a reason code, a message safe to show the tenant, and where in the script.</summary>
/// <param name="Code">A reason code (<see cref="ToolWorkerCodes"/>, or the host's code for a fetch).</param>
/// <param name="Message">At most 1,000 characters; never .NET type names, stack traces or paths.</param>
/// <param name="Line">1-based line in the script, when known.</param>
/// <param name="Column">Column in the script, when known.</param>
internal sealed record WorkerError(string Code, string Message, int? Line = null, int? Column = null);

/// <summary>The reason codes the worker itself emits.</summary>
internal static class ToolWorkerCodes
{
    /// <summary>Syntax error, uncaught exception, recursion limit, or a failure of the worker.</summary>
    public const string ScriptError = "tool.script_error";

    /// <summary>The run exceeded its statement limit.</summary>
    public const string CpuLimit = "tool.cpu_limit";

    /// <summary>The worker ran out of memory (it exits with <see cref="ToolWorkerExitCodes.OutOfMemory"/>).</summary>
    public const string MemoryLimit = "tool.memory_limit";

    /// <summary>Console text and the value's JSON exceeded MaxOutputBytes.</summary>
    public const string OutputLimit = "tool.output_limit";
}

/// <summary>The worker's exit codes other than 0 (stdin closed).</summary>
internal static class ToolWorkerExitCodes
{
    /// <summary>The host broke the protocol; the worker wrote nothing for it.</summary>
    public const int ProtocolError = 2;

    /// <summary>The worker ran out of memory, after writing a <c>tool.memory_limit</c> done line.</summary>
    public const int OutOfMemory = 3;
}

/// <summary>Source-generated (reflection-free) serialization of both directions.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HostMessage))]
[JsonSerializable(typeof(WorkerMessage))]
internal sealed partial class ToolWorkerJsonContext : JsonSerializerContext;
