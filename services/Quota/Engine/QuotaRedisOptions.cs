namespace McpPlatform.Quota.Engine;

/// <summary>How the engine talks to Redis (configuration section <c>QuotaRedis</c>).</summary>
public sealed class QuotaRedisOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "QuotaRedis";

    /// <summary>Upper bound on one admit or release round trip before it is denied as unavailable.</summary>
    public int OperationTimeoutMilliseconds { get; set; } = 250;

    /// <summary>Upper bound on one connection attempt.</summary>
    public int ConnectTimeoutMilliseconds { get; set; } = 2000;
}
