namespace McpPlatform.Core.Quota;

/// <summary>The outcome of <see cref="IQuotaAdmission.AdmitAsync"/>: a lease or a denial, never both.</summary>
/// <param name="Lease">The lease, when granted.</param>
/// <param name="Denial">The denial, when not.</param>
public sealed record Admission(QuotaLease? Lease, QuotaDenial? Denial)
{
    /// <summary>True when the call may run.</summary>
    public bool IsGranted => Lease is not null;
}
