using McpPlatform.Quota.Engine;
using McpPlatform.Tests.Common;
using StackExchange.Redis;

namespace McpPlatform.Quota.Tests.Support;

/// <summary>
/// The shared redis-server fixture with its client configured like the quota service's
/// (reconnects), but with a 5 s operation budget: production's 250 ms fails closed on a loaded
/// CI machine, and these tests are about decisions. <see cref="ProductionQuotaRedisServer"/>
/// keeps production's budget for the outage tests.
/// </summary>
public class QuotaRedisServer : RedisServer
{
    /// <summary>The client options the multiplexer is made with.</summary>
    protected virtual QuotaRedisOptions Options => new() { OperationTimeoutMilliseconds = 5000 };

    /// <inheritdoc />
    protected override Task<ConnectionMultiplexer> ConnectAsync() =>
        Task.FromResult(QuotaRedis.Connect(ConnectionString, Options));
}
