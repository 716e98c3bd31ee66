using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Audit;
using McpPlatform.Core;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace McpPlatform.Identity.Exchange;

/// <summary>
/// One audit record per token-exchange decision about a tenant's token, written into that tenant's
/// trail through the same spool and delivery the MCP servers use (docs/telemetry.md, "Record
/// schema"). The tenant is the one in the validated subject token. A refusal with no such token
/// (it did not validate, or names no tenant principal) has no trustworthy tenant: it goes into no
/// trail and is counted in the tenant-free metric <c>mcpplatform.identity.exchange.unaudited</c>.
/// </summary>
public sealed class ExchangeAudit
{
    /// <summary>The meter of identity's own instruments (tenant-free).</summary>
    public const string MeterName = "McpPlatform.Identity";

    /// <summary>The counter of exchange refusals that could not be attributed to a tenant.</summary>
    public const string UnauditedInstrument = "mcpplatform.identity.exchange.unaudited";

    private const string AuditedProperty = ".mcpplatform_exchange_audited";
    private const int MaxListedValues = 4;
    private const int MaxListedValueLength = 128;

    private readonly AuditEmitter _emitter;
    private readonly TimeProvider _time;
    private readonly Counter<long> _unaudited;

    /// <summary>Creates the audit of exchange decisions.</summary>
    /// <param name="emitter">The tenant pipeline's emitter.</param>
    /// <param name="meters">Meter factory for the tenant-free counter.</param>
    /// <param name="time">The clock.</param>
    public ExchangeAudit(AuditEmitter emitter, IMeterFactory meters, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _emitter = emitter;
        _time = time;
        _unaudited = meters.Create(MeterName).CreateCounter<long>(UnauditedInstrument,
            description: "Token-exchange refusals without a validated tenant subject token, so in no tenant's audit trail.");
    }

    /// <summary>
    /// Audits one decision: a record in the subject's tenant trail, or the tenant-free count when
    /// there is no tenant to write it for. Marks the transaction so the refusal is not counted again.
    /// With <c>Audit:Durability=Acknowledged</c> this waits until the record is fsynced in the spool.
    /// </summary>
    /// <param name="facts">What the decision looked at.</param>
    /// <param name="decision">Granted or refused.</param>
    /// <param name="transaction">The OpenIddict request's transaction, when there is one.</param>
    /// <returns>True when a tenant record was kept; false when there was no tenant, or the record was dropped.</returns>
    public ValueTask<bool> RecordAsync(ExchangeFacts facts, ExchangeDecision decision, OpenIddictServerTransaction? transaction)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (transaction is not null)
        {
            transaction.Properties[AuditedProperty] = true;
        }

        var record = Build(facts, decision, Activity.Current?.TraceId.ToHexString(), _time.GetUtcNow());
        if (record is null)
        {
            CountUnaudited(decision.Error ?? Errors.InvalidGrant);
            return ValueTask.FromResult(false);
        }

        return _emitter.WriteAsync(record);
    }

    /// <summary>True when a grant whose record could not be kept must be refused (<c>Audit:WhenSpoolFull=FailClosed</c>).</summary>
    public bool FailsClosed => _emitter.FailsClosed;

    /// <summary>Counts a refusal that is in no tenant's trail (the metric's <c>reason</c> is the OAuth error).</summary>
    /// <param name="error">The OAuth error code.</param>
    public void CountUnaudited(string error) => _unaudited.Add(1, new KeyValuePair<string, object?>("reason", error));

    /// <summary>True when <see cref="RecordAsync"/> already handled this request.</summary>
    /// <param name="transaction">The OpenIddict request's transaction.</param>
    /// <returns>Whether the decision was audited (or counted).</returns>
    public static bool WasAudited(OpenIddictServerTransaction transaction) =>
        transaction?.Properties.ContainsKey(AuditedProperty) == true;

    /// <summary>
    /// The record of one decision, or null when the subject token names no tenant principal. Only
    /// identifiers and request facts go in: never the subject token, the issued token or a secret.
    /// </summary>
    /// <param name="facts">What the decision looked at.</param>
    /// <param name="decision">Granted or refused.</param>
    /// <param name="traceId">The platform trace id of the exchange request.</param>
    /// <param name="now">When the decision was made.</param>
    /// <returns>The record, or null.</returns>
    public static AuditRecord? Build(ExchangeFacts facts, ExchangeDecision decision, string? traceId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(decision);
        if (string.IsNullOrEmpty(facts.SubjectTenantId) || string.IsNullOrEmpty(facts.SubjectSubject)
            || facts.SubjectPrincipalType is not (PrincipalTypes.User or PrincipalTypes.Agent))
        {
            return null;
        }

        var id = Guid.CreateVersion7(now);
        var detail = new JsonObject { ["actor"] = facts.ClientId };
        var earlierActors = ActorChain.Actors(facts.SubjectActor);
        if (earlierActors.Count > 0)
        {
            detail["earlierActors"] = new JsonArray([.. earlierActors.Select(a => JsonValue.Create(Clip(a)))]);
        }

        detail["subjectAudiences"] = List(facts.SubjectAudiences);
        if (decision.Target is { } target)
        {
            detail["audience"] = target.Uri;
            detail["scopes"] = new JsonArray(target.TokenExchangeScope);
            detail["lifetimeSeconds"] = (int)TokenExchange.MaxLifetime.TotalSeconds;
        }
        else
        {
            detail["requestedAudiences"] = List(facts.RequestedTargets);
            detail["requestedScopes"] = List(facts.RequestedScopes);
            detail["description"] = decision.Description;
        }

        // A missing or malformed invocation id is itself a refusal reason; the record still needs
        // an id the collector accepts, and says the request's was unusable.
        var invocationId = facts.InvocationId;
        if (!AuditLimits.IsInvocationId(invocationId))
        {
            invocationId = "exchange-" + id.ToString("N");
            detail["invocationIdInvalid"] = true;
        }

        var element = JsonSerializer.SerializeToElement(detail);
        if (element.GetRawText().Length > AuditLimits.MaxDetailBytes)
        {
            // Only request-chosen values can make it this large; the decision stays readable without them.
            detail.Remove("requestedAudiences");
            detail.Remove("requestedScopes");
            detail["requestTruncated"] = true;
            element = JsonSerializer.SerializeToElement(detail);
        }

        return new AuditRecord
        {
            Id = id,
            OccurredAt = now,
            Kind = AuditKinds.TokenExchange,
            TenantId = facts.SubjectTenantId,
            AuditPartition = string.IsNullOrEmpty(facts.SubjectAuditPartition) ? facts.SubjectTenantId : facts.SubjectAuditPartition,
            PrincipalId = facts.SubjectSubject,
            PrincipalType = facts.SubjectPrincipalType,
            InvocationId = invocationId!,
            Outcome = decision.IsAllowed ? AuditOutcomes.Success : AuditOutcomes.Denied,
            ReasonCode = decision.IsAllowed ? null : decision.Error ?? Errors.InvalidGrant,
            TraceId = traceId,
            Detail = element,
        };
    }

    /// <summary>The facts of an exchange request as OpenIddict has validated it so far.</summary>
    /// <param name="request">The token request.</param>
    /// <param name="clientId">The authenticated client.</param>
    /// <param name="properties">The client's properties (kind, own resource).</param>
    /// <param name="permissions">The client's permissions (its exchange allowance).</param>
    /// <param name="subject">The validated subject token, when there is one.</param>
    /// <returns>The facts.</returns>
    public static ExchangeFacts Facts(
        OpenIddictRequest request,
        string clientId,
        IReadOnlyDictionary<string, JsonElement>? properties,
        IEnumerable<string> permissions,
        ClaimsPrincipal? subject)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ExchangeFacts
        {
            ClientId = clientId,
            ClientKind = Data.ClientProperties.Read(properties, Data.ClientProperties.Kind),
            ClientResource = Data.ClientProperties.Read(properties, Data.ClientProperties.Resource),
            AllowedTargets = [.. permissions
                .Where(p => p.StartsWith(Permissions.Prefixes.Resource, StringComparison.Ordinal))
                .Select(p => p[Permissions.Prefixes.Resource.Length..])],
            RequestedTargets = [.. request.GetAudiences(), .. request.GetResources()],
            RequestedScopes = [.. request.GetScopes()],
            SubjectTokenType = request.SubjectTokenType,
            HasActorToken = !string.IsNullOrEmpty(request.ActorToken),
            InvocationId = request.GetParameter(TokenExchange.InvocationIdParameter)?.ToString(),
            SubjectAudiences = subject is null ? [] : [.. subject.GetAudiences()],
            SubjectTenantId = subject?.GetClaim(PlatformClaims.TenantId),
            SubjectSubject = subject?.GetClaim(PlatformClaims.Subject),
            SubjectPrincipalType = subject?.GetClaim(PlatformClaims.PrincipalType),
            SubjectAuditPartition = subject?.GetClaim(PlatformClaims.AuditPartition),
            SubjectActor = subject?.GetClaim(PlatformClaims.Actor),
        };
    }

    private static JsonArray List(IEnumerable<string> values) =>
        new([.. values.Take(MaxListedValues).Select(v => JsonValue.Create(Clip(v)))]);

    private static string Clip(string value) => value.Length <= MaxListedValueLength ? value : value[..MaxListedValueLength];
}
