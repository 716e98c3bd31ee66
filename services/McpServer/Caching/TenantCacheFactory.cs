using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using McpPlatform.Core;
using McpPlatform.Shared;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace McpPlatform.McpServer.Caching;

/// <summary>
/// Owns the one <see cref="HybridCache"/> of the process, built in a private service provider so
/// neither it nor its memory and Redis tiers are reachable from the application's container.
/// Invalidation is a per-partition and per-purpose generation counter in Redis that is part of
/// every entry key, read on every call: HybridCache's tags (10.x) do not reach other processes
/// whose memory tier already holds the entry, nor reliably through Redis, so an old generation is
/// the only invalidation every instance sees at once.
/// Key names are keyed hashes: the partition id is HMAC(secret, partition) and the entry suffix
/// HMAC(tenant key, purpose + key) with a tenant key of HMAC(secret, partition id), so without
/// the secret a reader of Redis can neither confirm a guessed partition nor see that two tenants
/// cached the same arguments.
/// </summary>
internal sealed partial class TenantCacheFactory : ITenantCacheFactory, IDisposable
{
    private const int MaxKeyLength = 100_000;
    private const string Domain = "mcpplatform/tenant-cache/";
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);

    private readonly TenantCacheOptions _options;
    private readonly byte[] _keySecret;
    private readonly ConnectionMultiplexer _redis;
    private readonly ServiceProvider _inner;
    private readonly HybridCache _cache;
    private readonly ILogger<TenantCacheFactory> _logger;
    private readonly LogThrottle _degradedWarnings = new(WarningInterval);

    public TenantCacheFactory(string redisConnectionString, IOptions<TenantCacheOptions> options, ILoggerFactory loggerFactory)
    {
        _options = options.Value;
        var problems = _options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _keySecret = Encoding.UTF8.GetBytes(_options.KeySecret!);
        _logger = loggerFactory.CreateLogger<TenantCacheFactory>();
        var configuration = ConfigurationOptions.Parse(redisConnectionString);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = _options.ConnectTimeoutMilliseconds;
        configuration.SyncTimeout = _options.OperationTimeoutMilliseconds;
        configuration.AsyncTimeout = _options.OperationTimeoutMilliseconds;
        // While Redis is away, fail at once and run the factory, rather than queue and wait.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= "tenant-cache";
        _redis = ConnectionMultiplexer.Connect(configuration);

        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<IDistributedCache>(new RedisCache(Options.Create(new RedisCacheOptions
        {
            InstanceName = _options.KeyPrefix + "e:",
            ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(_redis),
        })));
        services.AddHybridCache(hybrid =>
        {
            hybrid.MaximumPayloadBytes = _options.MaxPayloadBytes;
            hybrid.MaximumKeyLength = 256;
        });
        _inner = services.BuildServiceProvider();
        _cache = _inner.GetRequiredService<HybridCache>();
    }

    public ITenantCache ForTenant(TenantContext tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentException.ThrowIfNullOrEmpty(tenant.DataPartition, nameof(tenant));
        var partition = Mac(_keySecret, "partition", tenant.DataPartition);
        // The tenant's own key: equal purpose and key in two tenants give unrelated suffixes.
        var tenantKey = HMACSHA256.HashData(_keySecret, Encoding.UTF8.GetBytes($"{Domain}tenant-key\n{partition}"));
        return new TenantCache(this, partition, tenantKey);
    }

    public void Dispose()
    {
        _inner.Dispose();
        _redis.Dispose();
    }

    /// <summary>Opaque, fixed-length stand-in for a value in key names: 128 bits of HMAC-SHA256, base64url.</summary>
    internal static string Mac(byte[] key, string domain, string value)
    {
        var bytes = Encoding.UTF8.GetBytes($"{Domain}{domain}\n{value}");
        return Base64Url.EncodeToString(HMACSHA256.HashData(key, bytes).AsSpan(0, 16));
    }

    internal static void ValidatePurpose(string purpose)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        if (!PurposeShape().IsMatch(purpose))
        {
            throw new ArgumentException($"Cache purpose '{purpose}' must be 1-32 of a-z, 0-9, '.', '_', '-', starting with a letter or digit.", nameof(purpose));
        }
    }

    private async ValueTask<T> GetOrCreateAsync<T>(
        string partition, byte[] tenantKey, string purpose, string key, Func<CancellationToken, ValueTask<T>> factory, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        ValidatePurpose(purpose);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        if (key.Length is 0 or > MaxKeyLength)
        {
            throw new ArgumentException($"Cache key must be 1-{MaxKeyLength} characters.", nameof(key));
        }

        var lifetime = ttl ?? _options.DefaultTtl;
        if (lifetime <= TimeSpan.Zero || lifetime > _options.MaxTtl)
        {
            throw new ArgumentException($"Cache lifetime must be positive and at most {_options.MaxTtl}.", nameof(ttl));
        }

        var (partitionGeneration, purposeGeneration) = await ReadGenerationsAsync(partition, purpose);
        if (partitionGeneration is null)
        {
            return await factory(cancellationToken);
        }

        var entryKey = $"{partition}:{partitionGeneration}:{purpose}:{purposeGeneration}:{Mac(tenantKey, "key", purpose + "\n" + key)}";
        var entryOptions = new HybridCacheEntryOptions
        {
            Expiration = lifetime,
            LocalCacheExpiration = lifetime < _options.MaxLocalTtl ? lifetime : _options.MaxLocalTtl,
        };
        return await _cache.GetOrCreateAsync(entryKey, factory, static (create, token) => create(token), entryOptions, null, cancellationToken);
    }

    /// <summary>Both generations in one round trip, or nulls when Redis cannot answer (then nothing is cached).</summary>
    private async Task<(long? Partition, long? Purpose)> ReadGenerationsAsync(string partition, string purpose)
    {
        try
        {
            var values = await _redis.GetDatabase().StringGetAsync([PartitionGenerationKey(partition), PurposeGenerationKey(partition, purpose)]);
            return ((long?)values[0] ?? 0, (long?)values[1] ?? 0);
        }
        catch (Exception exception) when (IsRedisUnavailable(exception))
        {
            WarnDegraded(exception);
            return (null, null);
        }
    }

    private async Task IncrementAsync(RedisKey generationKey, CancellationToken cancellationToken)
    {
        try
        {
            await _redis.GetDatabase().StringIncrementAsync(generationKey).WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (IsRedisUnavailable(exception))
        {
            throw new TenantCacheUnavailableException(
                "The tenant cache could not record an invalidation in Redis; entries may be served until they expire once Redis is back.", exception);
        }
    }

    // Any Redis failure only bypasses the cache: a lost connection or an error of the command.
    private static bool IsRedisUnavailable(Exception exception) =>
        RedisFailures.IsConnectionLoss(exception) || exception is RedisException;

    private RedisKey PartitionGenerationKey(string partition) => $"{_options.KeyPrefix}g:{partition}";

    private RedisKey PurposeGenerationKey(string partition, string purpose) => $"{_options.KeyPrefix}g:{partition}:{purpose}";

    private void WarnDegraded(Exception exception)
    {
        if (_degradedWarnings.TryEnter(out var suppressed))
        {
            LogDegraded(_logger, exception.GetType().Name, suppressed, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant cache bypassed: Redis did not answer ({ErrorType}); tool calls run uncached until it does ({Suppressed} more since the last warning).")]
    private static partial void LogDegraded(ILogger logger, string errorType, long suppressed, Exception exception);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,31}\z")]
    private static partial Regex PurposeShape();

    /// <summary>One partition's view. Holds only the partition's id and key; the raw partition never leaves <see cref="ForTenant"/>.</summary>
    private sealed class TenantCache(TenantCacheFactory owner, string partition, byte[] tenantKey) : ITenantCache
    {
        public ValueTask<T> GetOrCreateAsync<T>(
            string purpose, string key, Func<CancellationToken, ValueTask<T>> factory, TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
            owner.GetOrCreateAsync(partition, tenantKey, purpose, key, factory, ttl, cancellationToken);

        public Task InvalidateAsync(string purpose, CancellationToken cancellationToken = default)
        {
            ValidatePurpose(purpose);
            return owner.IncrementAsync(owner.PurposeGenerationKey(partition, purpose), cancellationToken);
        }

        public Task InvalidateAllAsync(CancellationToken cancellationToken = default) =>
            owner.IncrementAsync(owner.PartitionGenerationKey(partition), cancellationToken);
    }
}
