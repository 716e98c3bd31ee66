using System.Text.Json;

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
    /// scopes), and of tool calls whose tool adds some (run_script: the sandbox's limits and how it
    /// ended); a JSON object, never tokens or secrets.
    /// </summary>
    public JsonElement? Detail { get; init; }
}
