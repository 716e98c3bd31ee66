using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Audit;
using McpPlatform.Core;

namespace McpPlatform.Secrets.Audit;

/// <summary>
/// The secrets service's entries in a tenant's audit trail (docs/secrets.md, "Audit"), sent through
/// the platform's spool and delivery as this service's own client: one <c>secret_read</c> record per
/// read attempt whose token names a tenant principal, granted or refused, and one
/// <c>secret_change</c> record per create, rotate or delete. Names, servers, tools and versions
/// only: a value never reaches a record.
/// </summary>
internal sealed class SecretAudit(AuditEmitter emitter, TimeProvider time)
{
    /// <summary>What a change did.</summary>
    public const string Created = "created";

    /// <summary>The value was replaced.</summary>
    public const string Rotated = "rotated";

    /// <summary>The secret was removed.</summary>
    public const string Deleted = "deleted";

    /// <summary>Queues the record of one read attempt.</summary>
    public void Read(TenantCaller caller, SecretReadFacts facts) => emitter.Emit(BuildRead(caller, facts, Activity.Current?.TraceId.ToHexString(), time.GetUtcNow()));

    /// <summary>
    /// Writes the record of a granted read and waits until it is kept (<c>Audit:Durability</c>);
    /// false when it was dropped.
    /// </summary>
    public ValueTask<bool> GrantedReadAsync(TenantCaller caller, SecretReadFacts facts) =>
        emitter.WriteAsync(BuildRead(caller, facts, Activity.Current?.TraceId.ToHexString(), time.GetUtcNow()));

    /// <summary>True when a value whose read could not be audited is withheld (<c>Audit:WhenSpoolFull=FailClosed</c>).</summary>
    public bool FailsClosed => emitter.FailsClosed;

    /// <summary>Queues the record of one change.</summary>
    public void Change(TenantCaller caller, string name, string action, int? version) =>
        emitter.Emit(BuildChange(caller, name, action, version, Activity.Current?.TraceId.ToHexString(), time.GetUtcNow()));

    /// <summary>The record of one read attempt (granted when <see cref="SecretReadFacts.ReasonCode"/> is null).</summary>
    public static AuditRecord BuildRead(TenantCaller caller, SecretReadFacts facts, string? traceId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(facts);
        var id = Guid.CreateVersion7(now);
        var detail = new JsonObject { ["secret"] = facts.Name, ["actor"] = facts.Actor };
        if (facts.Version is { } version)
        {
            detail["version"] = version;
        }

        // The invocation id comes from the exchanged token; an unusable one is replaced (and said
        // so) so that the refusal still reaches the trail.
        var invocationId = facts.InvocationId;
        if (!AuditLimits.IsInvocationId(invocationId))
        {
            invocationId = "secret-read-" + id.ToString("N");
            detail["invocationIdInvalid"] = true;
        }

        return new AuditRecord
        {
            Id = id,
            OccurredAt = now,
            Kind = AuditKinds.SecretRead,
            TenantId = caller.TenantId,
            AuditPartition = caller.AuditPartition,
            PrincipalId = caller.PrincipalId,
            PrincipalType = caller.PrincipalType,
            InvocationId = invocationId!,
            Tool = facts.Tool,
            Outcome = facts.ReasonCode is null ? AuditOutcomes.Success : AuditOutcomes.Denied,
            ReasonCode = facts.ReasonCode,
            DurationMs = facts.DurationMs,
            TraceId = traceId,
            Detail = JsonSerializer.SerializeToElement(detail),
        };
    }

    /// <summary>The record of one change by a tenant admin.</summary>
    public static AuditRecord BuildChange(TenantCaller caller, string name, string action, int? version, string? traceId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var id = Guid.CreateVersion7(now);
        var detail = new JsonObject { ["secret"] = name, ["action"] = action };
        if (version is { } v)
        {
            detail["version"] = v;
        }

        return new AuditRecord
        {
            Id = id,
            OccurredAt = now,
            Kind = AuditKinds.SecretChange,
            TenantId = caller.TenantId,
            AuditPartition = caller.AuditPartition,
            PrincipalId = caller.PrincipalId,
            PrincipalType = caller.PrincipalType,
            // A change belongs to no tool invocation; the record's own id stands in.
            InvocationId = "secret-change-" + id.ToString("N"),
            Outcome = AuditOutcomes.Success,
            TraceId = traceId,
            Detail = JsonSerializer.SerializeToElement(detail),
        };
    }
}
