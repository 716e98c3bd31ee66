using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace McpPlatform.Quota.Engine;

/// <summary>Ready once the quota service's policy has arrived; until then every call is denied.</summary>
public sealed class QuotaPolicyReadinessCheck(QuotaPolicy policy) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(policy.IsLoaded
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The quota policy has not been received from Redis yet; calls are denied with quota.unavailable."));
}
