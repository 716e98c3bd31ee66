namespace McpPlatform.Core.Quota;

/// <summary><c>POST /v1/leases/{leaseId}/release</c>: the call ended.</summary>
/// <param name="Actual">The call's actual usage, settled against its reservation.</param>
public sealed record ReleaseRequest(QuotaUsage? Actual);
