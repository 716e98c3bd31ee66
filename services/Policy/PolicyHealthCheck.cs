using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace McpPlatform.Policy;

/// <summary>
/// <c>/health</c> check <c>policy</c>: the version in force as data <c>version</c>. Degraded (still
/// ready: the last good version is enforced) while the file's current content is refused.
/// </summary>
public sealed class PolicyHealthCheck(PolicySource source) : IHealthCheck
{
    /// <summary>The check's name.</summary>
    public const string Name = "policy";

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var version = source.Version;
        var data = new Dictionary<string, object> { ["version"] = version };
        return Task.FromResult(source.RefusedErrors is { } errors
            ? HealthCheckResult.Degraded($"Policy version {version} is in force; the file's current content was refused with {errors.Count} error(s) (see the service log).", data: data)
            : HealthCheckResult.Healthy($"Policy version {version} is in force.", data));
    }
}
