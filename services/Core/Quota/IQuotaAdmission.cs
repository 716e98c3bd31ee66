namespace McpPlatform.Core.Quota;

/// <summary>
/// Admission control as MCP servers see it: admit before a tool runs, release after. Two
/// implementations decide with the same engine: in-process against Redis
/// (<c>McpPlatform.Quota.Engine</c>, the default for .NET servers) and <c>McpPlatform.McpServer.Quota.QuotaClient</c>
/// over HTTP to the <c>quota</c> service. Neither throws for quota outcomes.
/// </summary>
public interface IQuotaAdmission
{
    /// <summary>Asks for admission of one tool call.</summary>
    /// <param name="tenant">The call's context (from the caller's validated token).</param>
    /// <param name="tool">The tool's name.</param>
    /// <param name="estimate">Expected usage, reserved until release.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A lease or a denial.</returns>
    ValueTask<Admission> AdmitAsync(TenantContext tenant, string tool, QuotaUsage estimate, CancellationToken cancellationToken);

    /// <summary>Releases a lease and settles the actual usage. Idempotent; failures are logged, not thrown (the lease expires by itself).</summary>
    /// <param name="lease">The lease from <see cref="AdmitAsync"/>.</param>
    /// <param name="actual">The call's actual usage.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>True when this call released the lease.</returns>
    Task<bool> ReleaseAsync(QuotaLease lease, QuotaUsage actual, CancellationToken cancellationToken);
}
