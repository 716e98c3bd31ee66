using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace McpPlatform.Quota.Engine;

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
