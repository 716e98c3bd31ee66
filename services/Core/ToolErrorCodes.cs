namespace McpPlatform.Core;

/// <summary>
/// Codes of tool errors that are not admission denials: the caller's bad input, missing data, or a
/// backing store that failed (docs/reason-codes.md, "Tool errors"). Like <see cref="ReasonCodes"/>
/// they travel in <c>structuredContent.error.code</c> and form a documented closed set.
/// </summary>
public static class ToolErrorCodes
{
    /// <summary>An argument is missing, empty, out of range or malformed; the message names it.</summary>
    public const string InvalidArgument = "request.invalid_argument";

    /// <summary>Text is not valid Unicode (an unpaired surrogate), so it cannot be stored or embedded faithfully.</summary>
    public const string InvalidText = "request.invalid_text";

    /// <summary>The identity service refused the token exchange for a downstream call.</summary>
    public const string ExchangeRefused = "identity.exchange_refused";

    /// <summary>The identity service could not be reached (or was overloaded) for a token exchange; the tool did not act downstream.</summary>
    public const string IdentityUnavailable = "identity.unavailable";

    /// <summary>
    /// This server cannot keep audit records now (spool full, disk full, write failing) and fails
    /// closed: the call was refused before it ran, or it ran and its result is withheld because its
    /// record could not be written.
    /// </summary>
    public const string AuditUnavailable = "audit.unavailable";

    /// <summary>The downstream API could not be reached or answered with an error.</summary>
    public const string DownstreamUnavailable = "downstream.unavailable";

    /// <summary>The document is larger than the ingest limit; split it into several documents.</summary>
    public const string DocumentTooLarge = "knowledge.document_too_large";

    /// <summary>No document with that id exists in the caller's knowledge base.</summary>
    public const string DocumentNotFound = "knowledge.document_not_found";

    /// <summary>The caller's knowledge base is full (partition chunk cap).</summary>
    public const string CapacityExceeded = "knowledge.capacity_exceeded";

    /// <summary>The caller's knowledge base has not been provisioned (Qdrant: no collection yet).</summary>
    public const string NotProvisioned = "knowledge.not_provisioned";

    /// <summary>The export is larger than a tool result may carry; use list/get, or the operator export.</summary>
    public const string ExportTooLarge = "knowledge.export_too_large";

    /// <summary>The vector store or the embedding model failed or is unreachable; nothing was written.</summary>
    public const string Unavailable = "knowledge.unavailable";

    /// <summary>The caller's tenant has no secret of the name the connection uses (or it is another tenant's: indistinguishable).</summary>
    public const string SecretNotFound = SecretErrorCodes.NotFound;

    /// <summary>The secret does not allow this MCP server or this tool to read it.</summary>
    public const string SecretDenied = SecretErrorCodes.Denied;

    /// <summary>The caller's tenant has no connection of that name (another tenant's connection is not found either).</summary>
    public const string ConnectionNotFound = "connection.not_found";

    /// <summary>The path or method is outside the connection's allow-list, or its base URL is off the egress allow-list.</summary>
    public const string ConnectionDenied = "connection.denied";

    /// <summary>The connection's API, the secrets service or identity could not be reached or did not answer in time.</summary>
    public const string ConnectionUnavailable = "connection.unavailable";

    /// <summary><c>run_script</c>: the script ran past its wall-clock limit; its worker was stopped.</summary>
    public const string Timeout = "tool.timeout";

    /// <summary><c>run_script</c>: the script used more CPU time (or statements) than its limit; its worker was stopped.</summary>
    public const string CpuLimit = "tool.cpu_limit";

    /// <summary><c>run_script</c>: the script used more memory than its worker may hold.</summary>
    public const string MemoryLimit = "tool.memory_limit";

    /// <summary><c>run_script</c>: console output and result together were larger than the output limit.</summary>
    public const string OutputLimit = "tool.output_limit";

    /// <summary><c>run_script</c>: the worker process died during the call for another reason; that call only failed.</summary>
    public const string Crashed = "tool.crashed";

    /// <summary><c>run_script</c>: a syntax or runtime error in the tenant's script; the message gives its text and line.</summary>
    public const string ScriptError = "tool.script_error";

    /// <summary>No sandboxed worker could be had: the worker program is missing, isolation required by configuration is absent, or every worker is busy.</summary>
    public const string SandboxUnavailable = "sandbox.unavailable";

    /// <summary>Every code above.</summary>
    public static readonly IReadOnlyList<string> All =
        [InvalidArgument, InvalidText, ExchangeRefused, IdentityUnavailable, AuditUnavailable, DownstreamUnavailable, DocumentTooLarge, DocumentNotFound, CapacityExceeded, NotProvisioned, ExportTooLarge, Unavailable,
         SecretNotFound, SecretDenied, ConnectionNotFound, ConnectionDenied, ConnectionUnavailable,
         Timeout, CpuLimit, MemoryLimit, OutputLimit, Crashed, ScriptError, SandboxUnavailable];
}
