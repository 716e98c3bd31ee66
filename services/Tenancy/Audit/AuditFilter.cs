using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using McpPlatform.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.Tenancy.Audit;

/// <summary>
/// One audit record per <c>tools/call</c>, whatever its outcome: success, error result,
/// admission denial (this filter sits outside admission), exception or cancellation. The record
/// is queued for the spool after the result is known; the response does not wait for disk or network.
/// </summary>
internal static class AuditFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Create(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) => async (request, cancellationToken) =>
    {
        var services = request.Services ?? throw new InvalidOperationException("The MCP request has no service scope.");
        var tenant = services.GetRequiredService<TenantContextAccessor>().Current
            ?? throw new InvalidOperationException("Audit runs after the tenant context filter.");
        var started = Stopwatch.GetTimestamp();
        var outcome = AuditOutcomes.Failed;
        string? reasonCode = null;
        try
        {
            var result = await next(request, cancellationToken);
            (outcome, reasonCode) = Classify(result);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = AuditOutcomes.Cancelled;
            throw;
        }
        finally
        {
            var options = services.GetRequiredService<IOptions<AuditOptions>>().Value;
            var usage = services.GetService<InvocationUsage>()?.Total ?? new QuotaUsage(0, 0m);
            var (digest, raw) = Arguments(request.Params?.Arguments, options.RawArgumentsTenants.Contains(tenant.TenantId));
            services.GetRequiredService<AuditEmitter>().Emit(new AuditRecord
            {
                Id = Guid.CreateVersion7(),
                OccurredAt = DateTimeOffset.UtcNow,
                Kind = AuditKinds.ToolCall,
                TenantId = tenant.TenantId,
                AuditPartition = tenant.AuditPartition,
                PrincipalId = tenant.PrincipalId,
                PrincipalType = tenant.PrincipalType,
                InvocationId = tenant.InvocationId,
                Tool = request.Params?.Name,
                Outcome = outcome,
                ReasonCode = reasonCode,
                UsageTokens = usage.Tokens,
                UsageCost = usage.Cost,
                DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                TraceId = Activity.Current?.TraceId.ToHexString(),
                ArgumentDigest = digest,
                Arguments = raw,
            });
        }
    };

    private static (string Outcome, string? ReasonCode) Classify(CallToolResult result)
    {
        if (result.IsError != true)
        {
            return (AuditOutcomes.Success, null);
        }

        var code = ToolErrors.CodeOf(result);
        return (ToolErrors.IsDenial(code) ? AuditOutcomes.Denied : AuditOutcomes.Error, code);
    }

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
