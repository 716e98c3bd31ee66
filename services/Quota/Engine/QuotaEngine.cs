using System.Globalization;
using McpPlatform.Core;
using McpPlatform.Core.Quota;
using McpPlatform.Shared;
using StackExchange.Redis;

namespace McpPlatform.Quota.Engine;

/// <summary>
/// The admission engine: one <c>EVALSHA</c> per admit and one per release, every check inside
/// the script. Redis failures never escape <see cref="AdmitAsync"/>: they become
/// <see cref="ReasonCodes.Unavailable"/> (or a degraded grant where the tier fails open).
/// </summary>
public sealed partial class QuotaEngine(
    [FromKeyedServices(QuotaRedis.ServiceKey)] IConnectionMultiplexer redis, QuotaPolicy policy, TimeProvider time, ILogger<QuotaEngine> logger)
{
    private const long HourMs = 3_600_000;
    private const long DayMs = 86_400_000;

    // Budget hashes live past their day so a late release still settles; lease records outlive
    // their slot by the same grace for the same reason.
    private const int BudgetTtlSeconds = 2 * 86_400 + 3_600;
    private const long LeaseRecordGraceMs = 15 * 60 * 1000;

    // Releases of timed-out admissions in flight at most (ForgetLease).
    private const int MaxForgetting = 10_000;

    private readonly LogThrottle _unavailableWarnings = new(TimeSpan.FromSeconds(10));
    private int _forgetting;

    /// <summary>Decides one admission.</summary>
    /// <param name="input">The validated request.</param>
    /// <returns>A lease or a denial; never throws for Redis failures.</returns>
    public async Task<EngineDecision> AdmitAsync(AdmissionInput input)
    {
        var limits = policy.For(input.TenantId);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var day = now / DayMs;
        var lease = LeaseHandle.New(day, input.Partition, input.PrincipalId);
        var ttlMs = limits.LeaseTtlSeconds * 1000L;

        RedisKey[] keys =
        [
            QuotaKeys.PartitionLeases(input.Partition),
            QuotaKeys.PrincipalLeases(input.Partition, input.PrincipalId),
            QuotaKeys.PartitionBucket(input.Partition),
            QuotaKeys.PrincipalBucket(input.Partition, input.PrincipalId),
            QuotaKeys.Budget(input.Partition, day),
            QuotaKeys.Lease(input.Partition, lease.Member),
        ];
        RedisValue[] args =
        [
            now, lease.Member, ttlMs,
            limits.TenantConcurrency, limits.PrincipalConcurrency,
            limits.TenantRatePerSecond, limits.TenantRateBurst,
            limits.PrincipalRatePerSecond, limits.PrincipalRateBurst,
            limits.TokensPerHour, limits.TokensPerDay, limits.CostPerHourMicros, limits.CostPerDayMicros,
            input.Tokens, input.CostMicros, now / HourMs, BudgetTtlSeconds, ttlMs + LeaseRecordGraceMs,
        ];

        RedisResult result;
        try
        {
            result = await QuotaScripts.Admit.RunAsync(redis.GetDatabase(), keys, args);
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            WarnUnavailable(exception);
            if (limits.FailOpen)
            {
                return new EngineDecision(lease, DateTimeOffset.FromUnixTimeMilliseconds(now + ttlMs), null, Degraded: true);
            }

            if (exception is RedisTimeoutException or TimeoutException)
            {
                ForgetLease(lease, TimeSpan.FromMilliseconds(ttlMs));
            }

            return Denied(new QuotaDenial(ReasonCodes.Unavailable,
                "Quota state is unreachable, so admission cannot be decided; the call was not run (fail closed).",
                1, null, null, null));
        }

        var outcome = (QuotaScripts.Outcome)(int)result[0];
        if (outcome == QuotaScripts.Outcome.Granted)
        {
            return new EngineDecision(lease, DateTimeOffset.FromUnixTimeMilliseconds((long)result[1]), null, false);
        }

        return Denied(Explain(outcome, (long)result[1], (long)result[2], limits, input, now));
    }

    /// <summary>
    /// A timed-out admit may still have run in Redis (overload, a slow restart): its lease would
    /// hold one of the tenant's concurrency slots, and its reservation, until the lease's TTL
    /// although no call uses it. It is released as soon as Redis answers; releasing a lease that
    /// was never granted changes nothing (<see cref="ReleaseAsync"/> is idempotent). Bounded: past
    /// <see cref="MaxForgetting"/> pending releases the lease is left to expire by itself.
    /// </summary>
    private void ForgetLease(LeaseHandle lease, TimeSpan ttl)
    {
        if (Interlocked.Increment(ref _forgetting) > MaxForgetting)
        {
            Interlocked.Decrement(ref _forgetting);
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var giveUpAt = time.GetUtcNow() + ttl;
                var delay = TimeSpan.FromMilliseconds(100);
                while (true)
                {
                    try
                    {
                        await ReleaseAsync(lease, QuotaUsage.None);
                        return;
                    }
                    catch (QuotaUnavailableException) when (time.GetUtcNow() + delay < giveUpAt)
                    {
                        await Task.Delay(delay, time);
                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                    }
                }
            }
            catch (QuotaUnavailableException)
            {
                // Past its TTL: the lease has expired by itself.
            }
            finally
            {
                Interlocked.Decrement(ref _forgetting);
            }
        });
    }

    /// <summary>Releases a lease and settles actual usage against its reservation. Idempotent.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="actual">Actual usage (validated).</param>
    /// <returns>True when this call released it; false when already released or expired.</returns>
    /// <exception cref="QuotaUnavailableException">Redis could not be reached in time.</exception>
    public async Task<bool> ReleaseAsync(LeaseHandle lease, QuotaUsage actual)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(actual);
        RedisKey[] keys =
        [
            QuotaKeys.Lease(lease.Partition, lease.Member),
            QuotaKeys.PartitionLeases(lease.Partition),
            QuotaKeys.PrincipalLeases(lease.Partition, lease.Principal),
            QuotaKeys.Budget(lease.Partition, lease.Day),
        ];
        RedisValue[] args = [lease.Member, actual.Tokens, QuotaUnits.ToMicros(actual.Cost)];
        try
        {
            return (int)await QuotaScripts.Release.RunAsync(redis.GetDatabase(), keys, args) == 1;
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            WarnUnavailable(exception);
            throw new QuotaUnavailableException("Quota state is unreachable; the lease will expire by itself.", exception);
        }
    }

    /// <summary>Reads a partition's usage now.</summary>
    /// <param name="tenantId">The tenant whose policy applies.</param>
    /// <param name="partition">The quota partition.</param>
    /// <returns>The report.</returns>
    /// <exception cref="QuotaUnavailableException">Redis could not be reached in time.</exception>
    public async Task<UsageReport> GetUsageAsync(string tenantId, string partition)
    {
        var limits = policy.For(tenantId);
        var nowAt = time.GetUtcNow();
        var now = nowAt.ToUnixTimeMilliseconds();
        RedisResult result;
        try
        {
            result = await QuotaScripts.Usage.RunAsync(redis.GetDatabase(),
                [QuotaKeys.PartitionLeases(partition), QuotaKeys.Budget(partition, now / DayMs)],
                [now, now / HourMs]);
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            throw new QuotaUnavailableException("Quota state is unreachable.", exception);
        }

        var hourEnd = DateTimeOffset.FromUnixTimeMilliseconds((now / HourMs + 1) * HourMs);
        var dayEnd = DateTimeOffset.FromUnixTimeMilliseconds((now / DayMs + 1) * DayMs);
        return new UsageReport(
            tenantId, partition, nowAt, limits.Tier,
            new ConcurrencyUsage((long)result[0], Limit(limits.TenantConcurrency)),
            BudgetUsage.Of((long)result[1], Limit(limits.TokensPerHour), hourEnd),
            BudgetUsage.Of((long)result[2], Limit(limits.TokensPerDay), dayEnd),
            BudgetUsage.Of(QuotaUnits.FromMicros((long)result[3]) ?? 0, QuotaUnits.FromMicros(limits.CostPerHourMicros), hourEnd),
            BudgetUsage.Of(QuotaUnits.FromMicros((long)result[4]) ?? 0, QuotaUnits.FromMicros(limits.CostPerDayMicros), dayEnd));
    }

    internal static bool IsUnavailable(Exception exception) =>
        RedisFailures.IsConnectionLoss(exception) || exception is ObjectDisposedException
        || (exception is RedisException && exception is not RedisServerException)
        || (exception is RedisServerException server && server.Message.StartsWith("LOADING", StringComparison.Ordinal));

    private static long? Limit(long value) => value < 0 ? null : value;

    private static EngineDecision Denied(QuotaDenial denial) => new(null, default, denial, false);

    /// <summary>The denial for an outcome, with the limit and window that applied.</summary>
    internal static QuotaDenial Explain(QuotaScripts.Outcome outcome, long used, long waitMs, EffectiveLimits limits, AdmissionInput input, long now)
    {
        var hourLeft = SecondsUntil((now / HourMs + 1) * HourMs, now);
        var dayLeft = SecondsUntil((now / DayMs + 1) * DayMs, now);
        var usedCost = QuotaUnits.FromMicros(used) ?? 0;
        var estimateCost = QuotaUnits.FromMicros(input.CostMicros) ?? 0;
        return outcome switch
        {
            QuotaScripts.Outcome.ConcurrencyTenant => new(ReasonCodes.ConcurrencyTenant,
                $"The tenant's quota partition already has {used} of {limits.TenantConcurrency} calls in flight; retry when one finishes.",
                1, limits.TenantConcurrency, "concurrent", "tenant"),
            QuotaScripts.Outcome.ConcurrencyPrincipal => new(ReasonCodes.ConcurrencyPrincipal,
                $"This principal already has {used} of {limits.PrincipalConcurrency} calls in flight; retry when one finishes.",
                1, limits.PrincipalConcurrency, "concurrent", "principal"),
            QuotaScripts.Outcome.RateTenant => new(ReasonCodes.Rate,
                $"The tenant's quota partition exceeded its rate of {Format(limits.TenantRatePerSecond)} calls per second (burst {limits.TenantRateBurst}).",
                WaitSeconds(waitMs), (decimal)limits.TenantRatePerSecond, "second", "tenant"),
            QuotaScripts.Outcome.RatePrincipal => new(ReasonCodes.Rate,
                $"This principal exceeded its rate of {Format(limits.PrincipalRatePerSecond)} calls per second (burst {limits.PrincipalRateBurst}).",
                WaitSeconds(waitMs), (decimal)limits.PrincipalRatePerSecond, "second", "principal"),
            QuotaScripts.Outcome.TokensHour => new(ReasonCodes.TokensHour,
                $"The hourly token budget of {limits.TokensPerHour} has {Math.Max(0, limits.TokensPerHour - used)} left this UTC hour; the call estimates {input.Tokens}.",
                input.Tokens <= limits.TokensPerHour ? hourLeft : null, limits.TokensPerHour, "hour", "tenant"),
            QuotaScripts.Outcome.TokensDay => new(ReasonCodes.TokensDay,
                $"The daily token budget of {limits.TokensPerDay} has {Math.Max(0, limits.TokensPerDay - used)} left this UTC day; the call estimates {input.Tokens}.",
                input.Tokens <= limits.TokensPerDay ? dayLeft : null, limits.TokensPerDay, "day", "tenant"),
            QuotaScripts.Outcome.CostHour => new(ReasonCodes.CostHour,
                $"The hourly cost budget of {Format(QuotaUnits.FromMicros(limits.CostPerHourMicros))} has {Format(Math.Max(0, QuotaUnits.FromMicros(limits.CostPerHourMicros)!.Value - usedCost))} left this UTC hour; the call estimates {Format(estimateCost)}.",
                input.CostMicros <= limits.CostPerHourMicros ? hourLeft : null, QuotaUnits.FromMicros(limits.CostPerHourMicros), "hour", "tenant"),
            QuotaScripts.Outcome.CostDay => new(ReasonCodes.CostDay,
                $"The daily cost budget of {Format(QuotaUnits.FromMicros(limits.CostPerDayMicros))} has {Format(Math.Max(0, QuotaUnits.FromMicros(limits.CostPerDayMicros)!.Value - usedCost))} left this UTC day; the call estimates {Format(estimateCost)}.",
                input.CostMicros <= limits.CostPerDayMicros ? dayLeft : null, QuotaUnits.FromMicros(limits.CostPerDayMicros), "day", "tenant"),
            _ => throw new InvalidOperationException($"Unknown admission outcome {outcome}."),
        };
    }

    private static int SecondsUntil(long endMs, long nowMs) => (int)Math.Max(1, (endMs - nowMs + 999) / 1000);

    private static int WaitSeconds(long waitMs) => (int)Math.Max(1, (waitMs + 999) / 1000);

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Format(decimal? value) => value?.ToString("0.######", CultureInfo.InvariantCulture) ?? "unlimited";

    // Under load Redis being down would otherwise write a warning per call.
    private void WarnUnavailable(Exception exception)
    {
        if (_unavailableWarnings.TryEnter(out var suppressed))
        {
            LogUnavailable(logger, exception.GetType().Name, suppressed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quota state unreachable ({Failure}); admission fails closed unless the tier fails open ({Suppressed} more since the last warning).")]
    private static partial void LogUnavailable(ILogger logger, string failure, long suppressed);
}
