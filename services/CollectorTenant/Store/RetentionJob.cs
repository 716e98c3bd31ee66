using McpPlatform.CollectorTenant.Extensions;
using Microsoft.Extensions.Options;

namespace McpPlatform.CollectorTenant.Store;

/// <summary>
/// Prunes every tenant's trail to its policy (age, rows, bytes) on a fixed interval, so the audit
/// database's size is bounded by the sum of the tenants' caps plus what arrives between runs.
/// </summary>
internal sealed partial class RetentionJob(
    AuditStore store,
    IOptionsMonitor<AuditPolicyOptions> policy,
    ILogger<RetentionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PruneAllAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // A failed pass must not stop the collector (a faulted background service stops
                // the host); the next pass catches up.
                LogPruneFailed(logger, exception);
            }

            try
            {
                await Task.Delay(policy.CurrentValue.PruneInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over every tenant.</summary>
    public async Task<int> PruneAllAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var tenant in await store.TenantsAsync(cancellationToken))
        {
            var deleted = await store.PruneAsync(tenant, policy.CurrentValue.For(tenant), cancellationToken);
            total += deleted;
        }

        if (total > 0)
        {
            LogPruned(logger, total);
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Count} audit records past their tenants' policies.")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit retention pass failed; retrying next interval.")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
