using McpPlatform.Quota.Engine;

namespace McpPlatform.Quota.Tests.Support;

/// <summary>The redis-server fixture with the quota service's production timeouts, for outage tests.</summary>
public sealed class ProductionQuotaRedisServer : QuotaRedisServer
{
    /// <inheritdoc />
    protected override QuotaRedisOptions Options => new();
}
