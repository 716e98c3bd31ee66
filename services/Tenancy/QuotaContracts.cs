using System.Text.Json;
using System.Text.Json.Serialization;
using McpPlatform.Core;
using ModelContextProtocol.Protocol;

namespace McpPlatform.Tenancy;

// The wire contract between MCP servers and the quota service (docs/quotas.md). Both sides
// serialise with QuotaJsonContext, so the shape is written once.

/// <summary>Usage of one tool call: model tokens and cost in the platform's currency unit.</summary>
/// <param name="Tokens">Tokens (input + output), 0 or more.</param>
/// <param name="Cost">Cost, 0 or more; kept to 6 decimal places.</param>
public sealed record QuotaUsage(long Tokens, decimal Cost)
{
    /// <summary>No tokens, no cost: a tool that consumes neither.</summary>
    public static readonly QuotaUsage None = new(0, 0m);
}

/// <summary>The tenant context an MCP server asserts for a call (built from the caller's validated token).</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="PrincipalId">The user id or agent client id.</param>
/// <param name="PrincipalType"><c>user</c> or <c>agent</c>.</param>
/// <param name="QuotaPartition">The partition budgets and tenant-level caps apply to.</param>
/// <param name="InvocationId">The tool invocation.</param>
public sealed record QuotaTenant(string? TenantId, string? PrincipalId, string? PrincipalType, string? QuotaPartition, string? InvocationId)
{
    /// <summary>The assertion for a tool call's context.</summary>
    /// <param name="tenant">The call's context.</param>
    /// <returns>The wire form.</returns>
    public static QuotaTenant From(TenantContext tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return new(tenant.TenantId, tenant.PrincipalId, tenant.PrincipalType, tenant.QuotaPartition, tenant.InvocationId);
    }
}

/// <summary><c>POST /v1/leases</c>: ask to run one tool call.</summary>
/// <param name="Tenant">Who the call is for.</param>
/// <param name="Tool">The tool's name.</param>
/// <param name="Estimate">Expected usage, reserved against the budgets until release.</param>
public sealed record AdmitRequest(QuotaTenant? Tenant, string? Tool, QuotaUsage? Estimate);

/// <summary>Why admission was denied: a reason code of <see cref="ReasonCodes"/> and what applied.</summary>
/// <param name="Code">The reason code.</param>
/// <param name="Message">A sentence for the caller (and a model) to read.</param>
/// <param name="RetryAfterSeconds">When waiting helps, how long; null when it does not.</param>
/// <param name="Limit">The limit that applied (calls, calls per second, tokens or cost).</param>
/// <param name="Window">The window of that limit: <c>concurrent</c>, <c>second</c>, <c>hour</c> or <c>day</c>.</param>
/// <param name="Scope"><c>tenant</c> (the quota partition) or <c>principal</c>.</param>
public sealed record QuotaDenial(string Code, string Message, int? RetryAfterSeconds, decimal? Limit, string? Window, string? Scope)
{
    /// <summary>The denial as an MCP tool result (<c>isError</c>, <c>structuredContent.error</c>).</summary>
    /// <returns>The tool result to return instead of running the tool.</returns>
    public CallToolResult ToToolResult() => ToolErrors.Create(Code, Message, RetryAfterSeconds);
}

/// <summary>The answer to <see cref="AdmitRequest"/>: a lease, or a denial. Both are HTTP 200.</summary>
/// <param name="Granted">True when a lease was granted.</param>
/// <param name="LeaseId">The lease to release when the call ends.</param>
/// <param name="ExpiresAt">When the lease's concurrency slot returns by itself.</param>
/// <param name="Denial">Why not, when not granted.</param>
/// <param name="Degraded">True when granted without checking because the tier fails open and state was unreachable.</param>
public sealed record AdmitResponse(bool Granted, string? LeaseId, DateTimeOffset? ExpiresAt, QuotaDenial? Denial, bool Degraded = false);

/// <summary><c>POST /v1/leases/{leaseId}/release</c>: the call ended.</summary>
/// <param name="Actual">The call's actual usage, settled against its reservation.</param>
public sealed record ReleaseRequest(QuotaUsage? Actual);

/// <summary>The answer to <see cref="ReleaseRequest"/>.</summary>
/// <param name="Released">True when this request released the lease; false when it was already released or had expired.</param>
public sealed record ReleaseResponse(bool Released);

/// <summary>Serialisation of the quota wire contract (web defaults: camelCase, case-insensitive reads).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AdmitRequest))]
[JsonSerializable(typeof(AdmitResponse))]
[JsonSerializable(typeof(ReleaseRequest))]
[JsonSerializable(typeof(ReleaseResponse))]
public sealed partial class QuotaJsonContext : JsonSerializerContext;
