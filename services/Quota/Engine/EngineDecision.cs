using McpPlatform.Core.Quota;

namespace McpPlatform.Quota.Engine;

/// <summary>The engine's answer to one admission: a lease or a denial.</summary>
/// <param name="Lease">The lease when granted.</param>
/// <param name="ExpiresAt">When the lease's slot returns by itself (when granted).</param>
/// <param name="Denial">Why not, when denied.</param>
/// <param name="Degraded">Granted without checking: state unreachable and the tier fails open.</param>
public readonly record struct EngineDecision(LeaseHandle? Lease, DateTimeOffset ExpiresAt, QuotaDenial? Denial, bool Degraded)
{
    /// <summary>True when a lease was granted.</summary>
    public bool Granted => Lease is not null;

    /// <summary>The decision as the HTTP API's response.</summary>
    /// <returns>The wire form.</returns>
    public AdmitResponse ToResponse() =>
        Lease is { } lease ? new AdmitResponse(true, lease.Id, ExpiresAt, null, Degraded) : new AdmitResponse(false, null, null, Denial);
}
