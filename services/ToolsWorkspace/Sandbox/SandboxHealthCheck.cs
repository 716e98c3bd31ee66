using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>
/// Reports the script sandbox in /health: healthy with bubblewrap and cgroups, degraded (with the
/// missing layers) otherwise, unhealthy when no worker can run. Never silent about weaker isolation.
/// </summary>
public sealed class SandboxHealthCheck(SandboxEnvironment environment) : IHealthCheck
{
    /// <summary>The check's name in /health.</summary>
    public const string Name = "sandbox";

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (environment.Unavailable is { } reason)
        {
            return Task.FromResult(HealthCheckResult.Degraded($"Script sandbox unavailable: {reason}"));
        }

        return Task.FromResult(environment.Gaps.Count == 0
            ? HealthCheckResult.Healthy("Script workers run under bubblewrap with cgroup memory, pids and cpu limits.")
            : HealthCheckResult.Degraded($"Script sandbox degraded ({environment.IsolationName}): {string.Join("; ", environment.Gaps)}."));
    }
}
