using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpPlatform.Core;

/// <summary>
/// One entry of a tenant's audit trail (docs/telemetry.md, "Record schema"). Emitted by MCP
/// servers once per tool call, by <c>identity</c> once per token-exchange decision about a tenant's
/// token, and by <c>collector-tenant</c> for grant events; stored under
/// row-level security by tenant. The id is assigned once at emission, so redelivery is idempotent.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>UUID v7 assigned when the record is created; the idempotency key of delivery.</summary>
    public Guid Id { get; init; }

    /// <summary>When the audited event ended (UTC).</summary>
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>What was audited (<see cref="AuditKinds"/>).</summary>
    public string Kind { get; init; } = AuditKinds.ToolCall;

    /// <summary>The tenant whose trail this belongs to.</summary>
    public string TenantId { get; init; } = string.Empty;

    /// <summary>The audit partition per the tenancy model's audit scope (the tenant unless hybrid).</summary>
    public string AuditPartition { get; init; } = string.Empty;

    /// <summary>The principal that acted: user id, agent client id, or operator id for grant events.</summary>
    public string PrincipalId { get; init; } = string.Empty;

    /// <summary><see cref="PrincipalTypes.User"/>, <see cref="PrincipalTypes.Agent"/> or <see cref="AuditPrincipalTypes.Operator"/>.</summary>
    public string PrincipalType { get; init; } = string.Empty;

    /// <summary>The tool invocation (for grant events: the grant id; for token exchanges: the request's <c>invocation_id</c>).</summary>
    public string InvocationId { get; init; } = string.Empty;

    /// <summary>The service that emitted the record; set by the collector from the sender's token.</summary>
    public string? Server { get; init; }

    /// <summary>The tool called, when the record is about a tool call.</summary>
    public string? Tool { get; init; }

    /// <summary>How it ended (<see cref="AuditOutcomes"/>).</summary>
    public string Outcome { get; init; } = string.Empty;

    /// <summary>The reason code of a denial or error, when there was one.</summary>
    public string? ReasonCode { get; init; }

    /// <summary>Tokens the call used.</summary>
    public long UsageTokens { get; init; }

    /// <summary>Cost the call used, in the budget's currency.</summary>
    public decimal UsageCost { get; init; }

    /// <summary>Wall time of the call in milliseconds.</summary>
    public double DurationMs { get; init; }

    /// <summary>The platform trace id (W3C, 32 hex), linking to tenant-free platform telemetry.</summary>
    public string? TraceId { get; init; }

    /// <summary>SHA-256 (hex) of the call's arguments as received; proves what was sent without storing it.</summary>
    public string? ArgumentDigest { get; init; }

    /// <summary>The raw arguments, only where the tenant's policy opts in.</summary>
    public JsonElement? Arguments { get; init; }

    /// <summary>
    /// Facts of grant events (operator, reason, scope, expiry) and token exchanges (actor, audience,
    /// scopes); a JSON object, never tokens or secrets. Tool-call records carry none.
    /// </summary>
    public JsonElement? Detail { get; init; }
}

/// <summary>Values of <see cref="AuditRecord.Kind"/>.</summary>
public static class AuditKinds
{
    /// <summary>One <c>tools/call</c>, whatever its outcome (admission denials included).</summary>
    public const string ToolCall = "tool_call";

    /// <summary>An operator asked to read this tenant's records.</summary>
    public const string GrantRequested = "grant.requested";

    /// <summary>A second operator (or the configured policy) approved the request.</summary>
    public const string GrantApproved = "grant.approved";

    /// <summary>The operator read this tenant's records under the grant.</summary>
    public const string GrantUsed = "grant.used";

    /// <summary>
    /// An RFC 8693 token exchange at <c>identity</c> with a token of this tenant as the subject:
    /// granted (<see cref="AuditOutcomes.Success"/>) or refused (<see cref="AuditOutcomes.Denied"/>
    /// with the OAuth error as reason code). Written by <c>identity</c> only.
    /// </summary>
    public const string TokenExchange = "token_exchange";

    /// <summary>Every kind.</summary>
    public static readonly IReadOnlyList<string> All = [ToolCall, TokenExchange, GrantRequested, GrantApproved, GrantUsed];
}

/// <summary>Values of <see cref="AuditRecord.Outcome"/>.</summary>
public static class AuditOutcomes
{
    /// <summary>The tool ran and returned a result; or identity granted a token exchange.</summary>
    public const string Success = "success";

    /// <summary>The tool ran and returned an error result.</summary>
    public const string Error = "error";

    /// <summary>Admission (quota) refused the call and the tool did not run; or identity refused a token exchange.</summary>
    public const string Denied = "denied";

    /// <summary>The tool threw.</summary>
    public const string Failed = "failed";

    /// <summary>The caller went away before the call finished.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Every outcome.</summary>
    public static readonly IReadOnlyList<string> All = [Success, Error, Denied, Failed, Cancelled];
}

/// <summary>Principal types that appear only in audit records.</summary>
public static class AuditPrincipalTypes
{
    /// <summary>A platform operator acting under a grant.</summary>
    public const string Operator = "operator";
}

/// <summary>What a sender posts to <c>collector-tenant</c>: <c>POST /v1/records</c>.</summary>
/// <param name="Records">The records, at most <see cref="AuditLimits.MaxRecordsPerBatch"/>.</param>
public sealed record AuditBatch(IReadOnlyList<AuditRecord> Records);

/// <summary>The collector's answer to a batch it stored.</summary>
/// <param name="Accepted">Records stored now.</param>
/// <param name="Duplicates">Records already stored by an earlier delivery (ignored).</param>
public sealed record AuditBatchResult(int Accepted, int Duplicates);

/// <summary>Wire limits of the tenant pipeline, shared by emitters and the collector.</summary>
public static class AuditLimits
{
    /// <summary>Most records in one batch.</summary>
    public const int MaxRecordsPerBatch = 500;

    /// <summary>Largest batch body in bytes.</summary>
    public const int MaxBatchBytes = 1024 * 1024;

    /// <summary>Largest raw-arguments element kept in one record (bytes of JSON); larger is replaced by the digest alone.</summary>
    public const int MaxArgumentsBytes = 16 * 1024;

    /// <summary>Longest identifier field (tenant, principal, partition, tool, reason code).</summary>
    public const int MaxIdLength = 256;

    /// <summary>Largest <see cref="AuditRecord.Detail"/> (bytes of JSON) a sender may write.</summary>
    public const int MaxDetailBytes = 4 * 1024;

    /// <summary>Longest invocation id.</summary>
    public const int MaxInvocationIdLength = 128;

    /// <summary>
    /// Whether a value can be a record's invocation id: 1-<see cref="MaxInvocationIdLength"/>
    /// characters of ASCII letters, digits, '.', '_', ':' or '-' (what MCP servers accept in
    /// <c>_meta</c> and the collector stores).
    /// </summary>
    /// <param name="value">The candidate.</param>
    /// <returns>True when it has that shape.</returns>
    public static bool IsInvocationId(string? value) =>
        value is { Length: > 0 and <= MaxInvocationIdLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');
}

/// <summary>PostgreSQL roles of the audit database (docs/telemetry.md, "Row-level security").</summary>
public static class AuditDatabaseRoles
{
    /// <summary>Owns the schema and tables; cannot log in. Migrations run as the server admin and hand ownership to it.</summary>
    public const string Owner = "audit_owner";

    /// <summary>What <c>collector-tenant</c> connects as: not an owner, not a superuser, no BYPASSRLS.</summary>
    public const string App = "audit_app";

    /// <summary>AppHost parameter carrying the app role's password (dev default in AppHost/appsettings.Development.json).</summary>
    public const string AppPasswordParameter = "audit-app-password";

    /// <summary>The session setting RLS policies compare the tenant column with; set per transaction.</summary>
    public const string TenantSetting = "app.tenant";
}

/// <summary>JSON shape of audit contracts on the wire (camelCase, source-generated).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditRecord))]
[JsonSerializable(typeof(AuditBatch))]
[JsonSerializable(typeof(AuditBatchResult))]
public sealed partial class AuditJsonContext : JsonSerializerContext;
