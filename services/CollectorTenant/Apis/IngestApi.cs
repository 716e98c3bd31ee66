using System.Security.Claims;
using System.Text.RegularExpressions;
using McpPlatform.CollectorTenant.Extensions;
using McpPlatform.CollectorTenant.Store;
using McpPlatform.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using McpPlatform.ServiceDefaults.Apis;

namespace McpPlatform.CollectorTenant.Apis;

/// <summary>One refused record of a batch: its position, a code and a sentence.</summary>
/// <param name="Index">Position in the batch (0-based).</param>
/// <param name="Code">Machine-readable reason.</param>
/// <param name="Message">What is wrong.</param>
public sealed record RejectedRecord(int Index, string Code, string Message);

/// <summary>Ingest: <c>POST /v1/records</c>, from MCP servers' own identities.</summary>
public static partial class IngestApi
{
    private static readonly TimeSpan s_maxClockAhead = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Maps ingest behind the <c>audit:write</c> policy. A batch is stored whole or not at all:
    /// any invalid record makes it a 422 naming every refused record, so the sender can set
    /// those aside and resend the rest. Known ids are ignored (at-least-once delivery).
    /// </summary>
    /// <param name="app">The routes.</param>
    /// <returns>The endpoint.</returns>
    public static RouteHandlerBuilder MapIngestApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/v1/records", IngestAsync).RequireAuthorization(CollectorTenantExtensions.IngestPolicy);

    private static async Task<Results<Ok<AuditBatchResult>, ProblemHttpResult>> IngestAsync(
        HttpContext http, AuditStore store, IOptionsMonitor<AuditPolicyOptions> policies, TimeProvider time)
    {
        var (batch, problem) = await JsonRequestBody.ReadAsync(http, AuditJsonContext.Default.AuditBatch, AuditLimits.MaxBatchBytes);
        if (batch is null)
        {
            return problem!;
        }

        if (batch.Records is not { Count: > 0 } records)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "request.records_missing", "records is required and must not be empty.");
        }

        if (records.Count > AuditLimits.MaxRecordsPerBatch)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "request.too_many_records",
                $"A batch holds at most {AuditLimits.MaxRecordsPerBatch} records; this one has {records.Count}.");
        }

        var server = Sender(http.User);
        var policy = policies.CurrentValue;
        var now = time.GetUtcNow();
        var rejected = new List<RejectedRecord>();
        var accepted = new List<AuditRecord>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is not { } record)
            {
                rejected.Add(new(i, "record.missing", "The record is null."));
                continue;
            }

            if (Validate(record, policy, now) is { } error)
            {
                rejected.Add(new(i, error.Code, error.Message));
                continue;
            }

            // The sender is who the token says, never what the body says; raw arguments only
            // where the tenant's policy keeps them, whatever the sender did.
            accepted.Add(record with
            {
                Server = server,
                Arguments = policy.For(record.TenantId).RawArguments ? record.Arguments : null,
            });
        }

        if (rejected.Count > 0)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "audit.records_rejected",
                $"{rejected.Count} of {records.Count} records were refused; nothing in this batch was stored. Resend the others.",
                new Dictionary<string, object?> { ["rejected"] = rejected.ToArray() });
        }

        return TypedResults.Ok(await store.InsertAsync(accepted, http.RequestAborted));
    }

    private static string Sender(ClaimsPrincipal user) =>
        user.FindFirst("client_id")?.Value ?? user.FindFirst(PlatformClaims.Subject)?.Value ?? "unknown";

    private static (string Code, string Message)? Validate(AuditRecord record, AuditPolicyOptions policy, DateTimeOffset now)
    {
        if (record.Id == Guid.Empty)
        {
            return ("record.id_missing", "id is required (a UUID assigned once when the record is created).");
        }

        if (string.IsNullOrEmpty(record.Kind))
        {
            return ("record.kind_missing", $"kind is required ('{AuditKinds.ToolCall}').");
        }

        if (record.Kind != AuditKinds.ToolCall)
        {
            return ("record.kind_forbidden", $"Senders write '{AuditKinds.ToolCall}' records only; grant events are written by the collector.");
        }

        if (!IsId(record.TenantId))
        {
            return ("record.tenant_invalid", $"tenantId must be 1-{AuditLimits.MaxIdLength} printable characters.");
        }

        if (!policy.IsKnown(record.TenantId))
        {
            return ("audit.tenant_unknown", "The tenant is not known to collector-tenant (no audit policy for it).");
        }

        if (!IsId(record.AuditPartition) || !IsId(record.PrincipalId))
        {
            return ("record.principal_invalid", $"auditPartition and principalId must be 1-{AuditLimits.MaxIdLength} printable characters.");
        }

        if (record.PrincipalType is not (PrincipalTypes.User or PrincipalTypes.Agent))
        {
            return ("record.principal_type_invalid", "principalType must be 'user' or 'agent'.");
        }

        if (record.InvocationId is not { Length: > 0 and <= 128 } || !InvocationIdShape().IsMatch(record.InvocationId))
        {
            return ("record.invocation_id_invalid", "invocationId must be 1-128 characters of letters, digits, '.', '_', ':' or '-'.");
        }

        if (record.Tool is { } tool && !IsId(tool))
        {
            return ("record.tool_invalid", $"tool must be 1-{AuditLimits.MaxIdLength} printable characters.");
        }

        if (!AuditOutcomes.All.Contains(record.Outcome))
        {
            return ("record.outcome_invalid", $"outcome must be one of {string.Join(", ", AuditOutcomes.All)}.");
        }

        if (record.ReasonCode is { } code && !IsId(code))
        {
            return ("record.reason_code_invalid", $"reasonCode must be 1-{AuditLimits.MaxIdLength} printable characters.");
        }

        if (record.UsageTokens < 0 || record.UsageCost < 0 || record.UsageCost > 1_000_000_000m
            || record.DurationMs < 0 || !double.IsFinite(record.DurationMs))
        {
            return ("record.usage_invalid", "usageTokens, usageCost and durationMs must be non-negative (cost at most 1e9).");
        }

        if (record.TraceId is { } trace && !HexShape(32).IsMatch(trace))
        {
            return ("record.trace_id_invalid", "traceId must be 32 lowercase hex characters (W3C trace id).");
        }

        if (record.ArgumentDigest is { } digest && !HexShape(64).IsMatch(digest))
        {
            return ("record.argument_digest_invalid", "argumentDigest must be 64 lowercase hex characters (SHA-256).");
        }

        if (record.Arguments is { } arguments && arguments.GetRawText().Length > AuditLimits.MaxArgumentsBytes)
        {
            return ("record.arguments_too_large", $"arguments may be at most {AuditLimits.MaxArgumentsBytes} bytes; send the digest alone.");
        }

        if (record.Detail is not null)
        {
            return ("record.detail_forbidden", "detail is written by the collector only.");
        }

        if (record.OccurredAt == default || record.OccurredAt > now + s_maxClockAhead)
        {
            return ("record.occurred_at_invalid", "occurredAt is required and may not be in the future.");
        }

        return null;
    }

    private static bool IsId(string? value) =>
        value is { Length: > 0 and <= AuditLimits.MaxIdLength } && !value.Any(char.IsControl);

    private static Regex HexShape(int length) => length == 32 ? Hex32() : Hex64();

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex InvocationIdShape();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex Hex32();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Hex64();
}
