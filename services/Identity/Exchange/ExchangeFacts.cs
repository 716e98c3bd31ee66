using McpPlatform.Identity.Data;

namespace McpPlatform.Identity.Exchange;

/// <summary>Everything the exchange rules look at, gathered from the request, the client and the subject token.</summary>
public sealed record ExchangeFacts
{
    /// <summary>The authenticated client asking for the exchange (the actor).</summary>
    public required string ClientId { get; init; }

    /// <summary>The client's <see cref="ClientProperties.Kind"/>.</summary>
    public string? ClientKind { get; init; }

    /// <summary>The resource the client serves, the only audience it may exchange tokens of.</summary>
    public string? ClientResource { get; init; }

    /// <summary>Targets the client is allowed to exchange for (its resource permissions).</summary>
    public IReadOnlyCollection<string> AllowedTargets { get; init; } = [];

    /// <summary>The request's <c>audience</c> and <c>resource</c> values together.</summary>
    public IReadOnlyCollection<string> RequestedTargets { get; init; } = [];

    /// <summary>The request's <c>scope</c> values (audited on refusals; a grant's scope is the target's).</summary>
    public IReadOnlyCollection<string> RequestedScopes { get; init; } = [];

    public string? SubjectTokenType { get; init; }

    public bool HasActorToken { get; init; }

    /// <summary>The <c>invocation_id</c> request parameter.</summary>
    public string? InvocationId { get; init; }

    /// <summary>Audiences of the (already signature- and lifetime-validated) subject token.</summary>
    public IReadOnlyCollection<string> SubjectAudiences { get; init; } = [];

    public string? SubjectTenantId { get; init; }

    public string? SubjectSubject { get; init; }

    public string? SubjectPrincipalType { get; init; }

    /// <summary>The subject token's <c>audit_partition</c> (the tenant when absent).</summary>
    public string? SubjectAuditPartition { get; init; }

    /// <summary>The subject token's <c>act</c> claim, raw JSON, when it was itself exchanged.</summary>
    public string? SubjectActor { get; init; }
}
