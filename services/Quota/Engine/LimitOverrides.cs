using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using StackExchange.Redis;

namespace McpPlatform.Quota.Engine;

/// <summary>One recorded change of a tenant's limits: who, when, old → new.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="ChangedBy">The operator's subject.</param>
/// <param name="ChangedAt">When.</param>
/// <param name="Old">The override before (null: none).</param>
/// <param name="New">The override after (null: removed).</param>
public sealed record LimitChange(string TenantId, string ChangedBy, DateTimeOffset ChangedAt, QuotaLimits? Old, QuotaLimits? New);

/// <summary>JSON of overrides and change records as stored in Redis.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(QuotaLimits))]
[JsonSerializable(typeof(StoredChange))]
[JsonSerializable(typeof(QuotaPolicyOptions))]
internal sealed partial class OverrideJsonContext : JsonSerializerContext;

/// <summary>A change record as stored: limits kept as the JSON strings the script saw.</summary>
internal sealed record StoredChange(string Tenant, string By, string At, string? Old, string? New);

/// <summary>
/// The operator's per-tenant limit overrides, kept in Redis so every instance applies them:
/// each instance re-reads them every few seconds (<see cref="PolicyRefresher"/>), and the
/// instance that made a change applies it at once. Changes and their record are written by one
/// script, so the recorded "old" is exactly what the change replaced.
/// </summary>
public sealed class LimitOverrideStore([FromKeyedServices(QuotaRedis.ServiceKey)] IConnectionMultiplexer redis, QuotaPolicy policy, TimeProvider time)
{
    /// <summary>Most change records kept.</summary>
    public const int MaxChanges = 1000;

    private static readonly QuotaScript Change = new("""
        local old = redis.call('HGET', KEYS[1], ARGV[1])
        if ARGV[2] == '' then
          redis.call('HDEL', KEYS[1], ARGV[1])
        else
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        end
        local record = {tenant = ARGV[1], by = ARGV[3], at = ARGV[4]}
        if old then record.old = old end
        if ARGV[2] ~= '' then record.new = ARGV[2] end
        redis.call('LPUSH', KEYS[2], cjson.encode(record))
        redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[5]) - 1)
        return old
        """);

    /// <summary>Re-reads all overrides and hands them to the policy.</summary>
    /// <returns>A task that completes when applied.</returns>
    public async Task RefreshAsync()
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(QuotaKeys.AdminLimits);
        var overrides = new Dictionary<string, QuotaLimits>(entries.Length, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (Parse(entry.Value) is { } limits)
            {
                overrides[entry.Name.ToString()] = limits;
            }
        }

        policy.SetOverrides(overrides.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>Sets (or with null removes) a tenant's override and records the change.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="limits">The new override; null removes it.</param>
    /// <param name="changedBy">The operator's subject.</param>
    /// <returns>The recorded change.</returns>
    public async Task<LimitChange> SetAsync(string tenantId, QuotaLimits? limits, string changedBy)
    {
        var at = time.GetUtcNow();
        var json = limits is null ? string.Empty : JsonSerializer.Serialize(limits, OverrideJsonContext.Default.QuotaLimits);
        var old = await Change.RunAsync(redis.GetDatabase(),
            [QuotaKeys.AdminLimits, QuotaKeys.AdminChanges],
            [tenantId, json, changedBy, at.ToString("O", CultureInfo.InvariantCulture), MaxChanges]);
        await RefreshAsync();
        return new LimitChange(tenantId, changedBy, at, old.IsNull ? null : Parse((RedisValue)old), limits);
    }

    /// <summary>The recorded changes, newest first.</summary>
    /// <param name="tenantId">Only this tenant's, when given.</param>
    /// <param name="max">At most this many.</param>
    /// <returns>The changes.</returns>
    public async Task<IReadOnlyList<LimitChange>> ChangesAsync(string? tenantId, int max)
    {
        var values = await redis.GetDatabase().ListRangeAsync(QuotaKeys.AdminChanges, 0, MaxChanges - 1);
        var changes = new List<LimitChange>();
        foreach (var value in values)
        {
            var stored = JsonSerializer.Deserialize((string)value!, OverrideJsonContext.Default.StoredChange);
            if (stored is null || (tenantId is not null && stored.Tenant != tenantId))
            {
                continue;
            }

            changes.Add(new LimitChange(stored.Tenant, stored.By, DateTimeOffset.Parse(stored.At, CultureInfo.InvariantCulture),
                stored.Old is null ? null : Parse(stored.Old), stored.New is null ? null : Parse(stored.New)));
            if (changes.Count >= max)
            {
                break;
            }
        }

        return changes;
    }

    private static QuotaLimits? Parse(RedisValue value) =>
        value.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)value!, OverrideJsonContext.Default.QuotaLimits);
}

/// <summary>Who owns the policy in this process.</summary>
public enum QuotaPolicyRole
{
    /// <summary>The quota service: reads the policy from configuration and publishes it.</summary>
    Authority,

    /// <summary>An MCP server admitting in-process: applies what the authority published.</summary>
    Follower,
}

/// <summary>
/// Keeps every instance's policy in step through Redis: the authority publishes its validated
/// policy (at start and after each reload), followers apply it when it changes; both re-read
/// the operator's overrides. One source of truth (the quota service's configuration), and a
/// change reaches every admitter within <see cref="PolicyRefresher.Interval"/>.
/// </summary>
public sealed class QuotaPolicySync(
    [FromKeyedServices(QuotaRedis.ServiceKey)] IConnectionMultiplexer redis, QuotaPolicy policy, LimitOverrideStore overrides, QuotaPolicyRole role)
{
    private QuotaPolicyOptions? _published;
    private string? _applied;

    /// <summary>One round: publish or apply the policy, then re-read overrides.</summary>
    /// <returns>A task that completes when done.</returns>
    public async Task SyncAsync()
    {
        var database = redis.GetDatabase();
        if (role == QuotaPolicyRole.Authority)
        {
            var current = policy.Options;
            if (!ReferenceEquals(current, _published))
            {
                await database.StringSetAsync(QuotaKeys.AdminPolicy, JsonSerializer.Serialize(current, OverrideJsonContext.Default.QuotaPolicyOptions));
                _published = current;
            }
        }
        else
        {
            var json = (string?)await database.StringGetAsync(QuotaKeys.AdminPolicy);
            if (json is not null && !string.Equals(json, _applied, StringComparison.Ordinal)
                && JsonSerializer.Deserialize(json, OverrideJsonContext.Default.QuotaPolicyOptions) is { } published)
            {
                // A refused policy is not retried until it changes; the last good one stays.
                policy.Apply(published);
                _applied = json;
            }
        }

        await overrides.RefreshAsync();
    }
}

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
