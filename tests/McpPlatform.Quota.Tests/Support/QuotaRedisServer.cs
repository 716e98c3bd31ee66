using McpPlatform.Quota.Engine;
using McpPlatform.Tests.Common;
using StackExchange.Redis;

namespace McpPlatform.Quota.Tests.Support;

/// <summary>The shared redis-server fixture with its client configured like the quota service's (timeouts, reconnects).</summary>
public sealed class QuotaRedisServer : RedisServer
{
    /// <inheritdoc />
    protected override Task<ConnectionMultiplexer> ConnectAsync() =>
        Task.FromResult(QuotaRedis.Connect(ConnectionString, new QuotaRedisOptions()));
}
