using System.Text.Json;
using StackExchange.Redis;

namespace McpPlatform.Quota.Engine;

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
