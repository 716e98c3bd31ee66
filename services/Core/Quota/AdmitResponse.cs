namespace McpPlatform.Core.Quota;

/// <summary>The answer to <see cref="AdmitRequest"/>: a lease, or a denial. Both are HTTP 200.</summary>
/// <param name="Granted">True when a lease was granted.</param>
/// <param name="LeaseId">The lease to release when the call ends.</param>
/// <param name="ExpiresAt">When the lease's concurrency slot returns by itself.</param>
/// <param name="Denial">Why not, when not granted.</param>
/// <param name="Degraded">True when granted without checking because the tier fails open and state was unreachable.</param>
public sealed record AdmitResponse(bool Granted, string? LeaseId, DateTimeOffset? ExpiresAt, QuotaDenial? Denial, bool Degraded = false);
