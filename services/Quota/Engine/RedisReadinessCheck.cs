using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace McpPlatform.Quota.Engine;

/// <summary>Ready when Redis answers a PING: without Redis every admission is denied.</summary>
public sealed class RedisReadinessCheck([FromKeyedServices(QuotaRedis.ServiceKey)] IConnectionMultiplexer redis) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return HealthCheckResult.Unhealthy("Redis is not connected; admissions are denied (quota.unavailable).");
        }

        try
        {
            await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (QuotaEngine.IsUnavailable(exception))
        {
            return HealthCheckResult.Unhealthy("Redis did not answer a PING in time.");
        }
    }
}
