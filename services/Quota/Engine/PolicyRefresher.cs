using System.Text.Json;

namespace McpPlatform.Quota.Engine;

/// <summary>Runs <see cref="QuotaPolicySync"/> every few seconds so every instance converges.</summary>
public sealed partial class PolicyRefresher(QuotaPolicySync sync, TimeProvider time, ILogger<PolicyRefresher> logger) : BackgroundService
{
    /// <summary>How often policy and overrides are re-read.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        var failing = false;
        do
        {
            try
            {
                await sync.SyncAsync();
                if (failing)
                {
                    LogRefreshRecovered(logger);
                }

                failing = false;
            }
            catch (Exception exception) when (QuotaEngine.IsUnavailable(exception) || exception is JsonException)
            {
                // Keep the last policy and overrides read; log once per outage, not every tick.
                if (!failing)
                {
                    LogRefreshFailed(logger, exception.GetType().Name);
                    failing = true;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sync the quota policy and limit overrides ({Failure}); keeping the last ones read.")]
    private static partial void LogRefreshFailed(ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Quota policy and limit overrides in sync again.")]
    private static partial void LogRefreshRecovered(ILogger logger);
}
