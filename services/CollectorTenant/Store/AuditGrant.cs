namespace McpPlatform.CollectorTenant.Store;

/// <summary>An operator's time-limited, single-tenant access to records linked to one platform trace.</summary>
/// <param name="Id">The grant id.</param>
/// <param name="TenantId">The one tenant it covers.</param>
/// <param name="RequestedBy">The operator who asked (and who alone may use it).</param>
/// <param name="Reason">Why, in the operator's words; the tenant sees it in its trail.</param>
/// <param name="TraceId">The platform trace the operator investigates; the only records the grant shows.</param>
/// <param name="DurationSeconds">How long it lasts once approved.</param>
/// <param name="RequestedAt">When it was asked for.</param>
/// <param name="ApprovedBy">The second operator, or <c>policy</c>; null while pending.</param>
/// <param name="ApprovedAt">When approved.</param>
/// <param name="ExpiresAt">Approval time plus duration.</param>
public sealed record AuditGrant(
    Guid Id,
    string TenantId,
    string RequestedBy,
    string Reason,
    string TraceId,
    int DurationSeconds,
    DateTimeOffset RequestedAt,
    string? ApprovedBy,
    DateTimeOffset? ApprovedAt,
    DateTimeOffset? ExpiresAt)
{
    /// <summary>The approver name recorded when configuration, not a person, approved.</summary>
    public const string PolicyApprover = "policy";
}
