using System.Text.Json;
using System.Text.RegularExpressions;
using McpPlatform.CollectorTenant.Extensions;
using McpPlatform.Core;

namespace McpPlatform.CollectorTenant.Apis;

/// <summary>
/// What a sender may write (docs/telemetry.md, "Service-to-service authentication"): every sender
/// writes <c>tool_call</c> records, only identity writes <c>token_exchange</c> records, only the
/// secrets service writes <c>secret_read</c> and <c>secret_change</c> records, only MCP servers
/// (<see cref="AuditPolicyOptions.McpServerClientIds"/>) write <c>connection_change</c> records,
/// and nobody writes grant events (the collector itself does). Then the shape of each field.
/// </summary>
internal static partial class IngestRules
{
    private static readonly TimeSpan s_maxClockAhead = TimeSpan.FromMinutes(5);

    /// <summary>Why a record is refused, or null when it may be stored.</summary>
    /// <param name="record">The record as received.</param>
    /// <param name="sender">The sender's client id, from its validated token.</param>
    /// <param name="policy">Audit policy (known tenants, identity's client id).</param>
    /// <param name="now">The collector's clock.</param>
    /// <returns>A code and a sentence, or null.</returns>
    public static (string Code, string Message)? Check(AuditRecord record, string sender, AuditPolicyOptions policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(policy);
        if (record.Id == Guid.Empty)
        {
            return ("record.id_missing", "id is required (a UUID assigned once when the record is created).");
        }

        if (string.IsNullOrEmpty(record.Kind))
        {
            return ("record.kind_missing", $"kind is required ('{AuditKinds.ToolCall}', or '{AuditKinds.TokenExchange}' from identity).");
        }

        if (KindRule(record.Kind, sender, policy) is { } kindError)
        {
            return kindError;
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

        if (!AuditLimits.IsInvocationId(record.InvocationId))
        {
            return ("record.invocation_id_invalid", $"invocationId must be 1-{AuditLimits.MaxInvocationIdLength} characters of letters, digits, '.', '_', ':' or '-'.");
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

        if (record.TraceId is { } trace && !Hex32().IsMatch(trace))
        {
            return ("record.trace_id_invalid", "traceId must be 32 lowercase hex characters (W3C trace id).");
        }

        if (record.ArgumentDigest is { } digest && !Hex64().IsMatch(digest))
        {
            return ("record.argument_digest_invalid", "argumentDigest must be 64 lowercase hex characters (SHA-256).");
        }

        if (record.Arguments is { } arguments && arguments.GetRawText().Length > AuditLimits.MaxArgumentsBytes)
        {
            return ("record.arguments_too_large", $"arguments may be at most {AuditLimits.MaxArgumentsBytes} bytes; send the digest alone.");
        }

        var kindShape = record.Kind switch
        {
            AuditKinds.TokenExchange => TokenExchangeRule(record),
            AuditKinds.SecretRead => SecretReadRule(record),
            AuditKinds.SecretChange => SecretChangeRule(record),
            AuditKinds.ConnectionChange => ConnectionChangeRule(record),
            _ => ToolCallRule(record),
        };
        if (kindShape is not null)
        {
            return kindShape;
        }

        if (record.OccurredAt == default || record.OccurredAt > now + s_maxClockAhead)
        {
            return ("record.occurred_at_invalid", "occurredAt is required and may not be in the future.");
        }

        return null;
    }

    /// <summary>Whether this sender may write this kind at all.</summary>
    /// <param name="kind">The record's kind.</param>
    /// <param name="sender">The sender's client id, from its validated token.</param>
    /// <param name="policy">Names identity's client id.</param>
    /// <returns>A code and a sentence, or null.</returns>
    public static (string Code, string Message)? KindRule(string kind, string sender, AuditPolicyOptions policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return kind switch
        {
            AuditKinds.ToolCall => null,
            AuditKinds.TokenExchange when string.Equals(sender, policy.IdentityClientId, StringComparison.Ordinal) => null,
            AuditKinds.TokenExchange => ("record.kind_sender_forbidden",
                $"'{AuditKinds.TokenExchange}' records are written by identity only (client '{policy.IdentityClientId}'), not by '{sender}'."),
            AuditKinds.SecretRead or AuditKinds.SecretChange when string.Equals(sender, policy.SecretsClientId, StringComparison.Ordinal) => null,
            AuditKinds.SecretRead or AuditKinds.SecretChange => ("record.kind_sender_forbidden",
                $"'{kind}' records are written by the secrets service only (client '{policy.SecretsClientId}'), not by '{sender}'."),
            AuditKinds.ConnectionChange when policy.McpServerClientIds.Contains(sender, StringComparer.Ordinal) => null,
            AuditKinds.ConnectionChange => ("record.kind_sender_forbidden",
                $"'{AuditKinds.ConnectionChange}' records are written by MCP servers only, not by '{sender}'."),
            _ when AuditKinds.All.Contains(kind) => ("record.kind_forbidden",
                $"Senders write '{AuditKinds.ToolCall}' (and identity '{AuditKinds.TokenExchange}') records only; grant events are written by the collector."),
            _ => ("record.kind_forbidden", $"kind must be '{AuditKinds.ToolCall}' (or '{AuditKinds.TokenExchange}' from identity)."),
        };
    }

    // A read names the secret and the acting server in detail and the tool in tool; it is granted
    // or refused, never a value or arguments.
    private static (string Code, string Message)? SecretReadRule(AuditRecord record)
    {
        if (record.Tool is null)
        {
            return ("record.tool_invalid", $"A '{AuditKinds.SecretRead}' record names the tool the value was read for.");
        }

        return DecisionRule(record, AuditKinds.SecretRead) ?? DetailRule(record, AuditKinds.SecretRead);
    }

    private static (string Code, string Message)? SecretChangeRule(AuditRecord record)
    {
        if (record.Outcome != AuditOutcomes.Success || record.ReasonCode is not null)
        {
            return ("record.outcome_invalid", $"A '{AuditKinds.SecretChange}' record is written for a change that happened: outcome '{AuditOutcomes.Success}', no reason code.");
        }

        return record.Tool is not null
            ? ("record.tool_invalid", $"A '{AuditKinds.SecretChange}' record is not about a tool.")
            : DetailRule(record, AuditKinds.SecretChange);
    }

    private static (string Code, string Message)? DecisionRule(AuditRecord record, string kind)
    {
        if (record.Outcome is not (AuditOutcomes.Success or AuditOutcomes.Denied))
        {
            return ("record.outcome_invalid", $"A '{kind}' outcome is '{AuditOutcomes.Success}' or '{AuditOutcomes.Denied}'.");
        }

        return (record.Outcome == AuditOutcomes.Denied) != (record.ReasonCode is not null)
            ? ("record.reason_code_invalid", "A refusal carries its reason code; a granted request carries none.")
            : null;
    }

    private static (string Code, string Message)? DetailRule(AuditRecord record, string kind)
    {
        if (record.Detail is not { ValueKind: JsonValueKind.Object } detail || detail.GetRawText().Length > AuditLimits.MaxDetailBytes)
        {
            return ("record.detail_invalid", $"detail must be a JSON object of at most {AuditLimits.MaxDetailBytes} bytes.");
        }

        return record.Arguments is not null || record.ArgumentDigest is not null
            ? ("record.arguments_forbidden", $"A '{kind}' record has no tool arguments.")
            : null;
    }

    // A tool may add facts of its own (run_script: the sandbox's limits and how the call ended).
    private static (string Code, string Message)? ToolCallRule(AuditRecord record) =>
        record.Detail is { } detail && (detail.ValueKind != JsonValueKind.Object || detail.GetRawText().Length > AuditLimits.MaxDetailBytes)
            ? ("record.detail_invalid", $"detail must be a JSON object of at most {AuditLimits.MaxDetailBytes} bytes.")
            : null;

    // An exchange is granted or refused, and says so with facts in detail (never a token).
    private static (string Code, string Message)? TokenExchangeRule(AuditRecord record)
    {
        if (record.Outcome is not (AuditOutcomes.Success or AuditOutcomes.Denied))
        {
            return ("record.outcome_invalid", $"A '{AuditKinds.TokenExchange}' outcome is '{AuditOutcomes.Success}' or '{AuditOutcomes.Denied}'.");
        }

        if ((record.Outcome == AuditOutcomes.Denied) != (record.ReasonCode is not null))
        {
            return ("record.reason_code_invalid", "A refused exchange carries its reason code; a granted one carries none.");
        }

        if (record.Detail is not { ValueKind: JsonValueKind.Object } detail || detail.GetRawText().Length > AuditLimits.MaxDetailBytes)
        {
            return ("record.detail_invalid", $"detail must be a JSON object of at most {AuditLimits.MaxDetailBytes} bytes.");
        }

        return record.Arguments is not null || record.ArgumentDigest is not null
            ? ("record.arguments_forbidden", "A token exchange has no tool arguments.")
            : null;
    }

    // A change by a tenant admin: it happened (success), and says what in detail; it has no tool arguments.
    private static (string Code, string Message)? ConnectionChangeRule(AuditRecord record)
    {
        if (record.Outcome != AuditOutcomes.Success || record.ReasonCode is not null)
        {
            return ("record.outcome_invalid", $"A '{AuditKinds.ConnectionChange}' record has outcome '{AuditOutcomes.Success}' and no reason code.");
        }

        if (record.Detail is not { ValueKind: JsonValueKind.Object } detail || detail.GetRawText().Length > AuditLimits.MaxDetailBytes)
        {
            return ("record.detail_invalid", $"detail must be a JSON object of at most {AuditLimits.MaxDetailBytes} bytes.");
        }

        return record.Arguments is not null || record.ArgumentDigest is not null
            ? ("record.arguments_forbidden", "A connection change has no tool arguments.")
            : null;
    }

    private static bool IsId(string? value) =>
        value is { Length: > 0 and <= AuditLimits.MaxIdLength } && !value.Any(char.IsControl);

    [GeneratedRegex(@"^[0-9a-f]{32}\z")]
    private static partial Regex Hex32();

    [GeneratedRegex(@"^[0-9a-f]{64}\z")]
    private static partial Regex Hex64();
}
