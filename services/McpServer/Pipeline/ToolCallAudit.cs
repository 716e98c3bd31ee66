using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using McpPlatform.Audit;
using McpPlatform.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace McpPlatform.McpServer.Pipeline;

/// <summary>
/// The audit record of one <c>tools/call</c> that has a tenant, whatever its outcome: success,
/// error result, denial, exception or cancellation. Handed to the spool after the outcome is
/// known; the response waits for the record's fsync with <c>Audit:Durability=Acknowledged</c>
/// (the default), never for the network.
/// </summary>
internal static class ToolCallAudit
{
    /// <summary>Writes the call's record; true when kept (or when there is no tenant to write it for).</summary>
    public static ValueTask<bool> WriteAsync(IServiceProvider services, AuditEmitter emitter, ToolCall call, IDictionary<string, JsonElement>? arguments)
    {
        if (call.Tenant is not { } tenant)
        {
            return ValueTask.FromResult(true);
        }

        var options = services.GetRequiredService<IOptions<AuditOptions>>().Value;
        var usage = call.Usage.Total;
        var (digest, raw) = Arguments(arguments, options.RawArgumentsTenants.Contains(tenant.TenantId));
        return emitter.WriteAsync(new AuditRecord
        {
            Id = Guid.CreateVersion7(),
            OccurredAt = DateTimeOffset.UtcNow,
            Kind = AuditKinds.ToolCall,
            TenantId = tenant.TenantId,
            AuditPartition = tenant.AuditPartition,
            PrincipalId = tenant.PrincipalId,
            PrincipalType = tenant.PrincipalType,
            InvocationId = tenant.InvocationId,
            Tool = call.Tool,
            Outcome = OutcomeOf(call.Outcome),
            ReasonCode = call.Outcome is ToolCallOutcome.Error or ToolCallOutcome.Denied ? call.Code : null,
            UsageTokens = usage.Tokens,
            UsageCost = usage.Cost,
            DurationMs = call.Elapsed.TotalMilliseconds,
            TraceId = Activity.Current?.TraceId.ToHexString(),
            ArgumentDigest = digest,
            Arguments = raw,
            Detail = call.Detail is { ValueKind: JsonValueKind.Object } detail && detail.GetRawText().Length <= AuditLimits.MaxDetailBytes ? detail : null,
        });
    }

    private static string OutcomeOf(ToolCallOutcome outcome) => outcome switch
    {
        ToolCallOutcome.Ok => AuditOutcomes.Success,
        ToolCallOutcome.Error => AuditOutcomes.Error,
        ToolCallOutcome.Denied => AuditOutcomes.Denied,
        ToolCallOutcome.Cancelled => AuditOutcomes.Cancelled,
        _ => AuditOutcomes.Failed,
    };

    // The digest is over a canonical form (keys in ordinal order, values as received), so the
    // same arguments give the same digest whatever order the client wrote them in.
    private static (string? Digest, JsonElement? Raw) Arguments(IDictionary<string, JsonElement>? arguments, bool keepRaw)
    {
        if (arguments is null || arguments.Count == 0)
        {
            return (null, null);
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in arguments.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
        if (!keepRaw || buffer.WrittenCount > AuditLimits.MaxArgumentsBytes)
        {
            return (digest, null);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return (digest, document.RootElement.Clone());
    }
}
