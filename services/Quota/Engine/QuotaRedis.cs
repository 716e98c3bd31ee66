using StackExchange.Redis;

namespace McpPlatform.Quota.Engine;

/// <summary>Builds the engine's one shared multiplexer.</summary>
public static class QuotaRedis
{
    /// <summary>
    /// The DI key of the engine's multiplexer: keyed, so another Redis client in the same
    /// process (the tenant cache's, say) never gets the engine's tuned connection or vice versa.
    /// </summary>
    public const string ServiceKey = "quota";

    /// <summary>
    /// Client options for admission: never abort on a failed connect (the multiplexer keeps
    /// reconnecting in the background, so the service recovers by itself), fail fast instead of
    /// queueing while disconnected (a denial now beats a hang), short timeouts, and a heartbeat
    /// frequent enough that those timeouts are noticed promptly.
    /// </summary>
    /// <param name="connectionString">The Redis connection string (<c>ConnectionStrings:redis</c>).</param>
    /// <param name="options">Timeouts.</param>
    /// <returns>The configuration.</returns>
    public static ConfigurationOptions Configure(string connectionString, QuotaRedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = options.ConnectTimeoutMilliseconds;
        configuration.SyncTimeout = options.OperationTimeoutMilliseconds;
        configuration.AsyncTimeout = options.OperationTimeoutMilliseconds;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new LinearRetry(500);
        configuration.HeartbeatInterval = TimeSpan.FromMilliseconds(250);
        configuration.ClientName ??= "quota";
        return configuration;
    }

    /// <summary>Connects (returning even while Redis is down; it reconnects by itself).</summary>
    /// <param name="connectionString">The Redis connection string.</param>
    /// <param name="options">Timeouts.</param>
    /// <returns>The multiplexer.</returns>
    public static ConnectionMultiplexer Connect(string connectionString, QuotaRedisOptions options) =>
        ConnectionMultiplexer.Connect(Configure(connectionString, options));
}
