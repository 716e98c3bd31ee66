namespace McpPlatform.McpServer.Caching;

/// <summary>
/// The only way services reach a cache: one tenant's data partition, fixed when the cache is
/// obtained from <see cref="ITenantCacheFactory.ForTenant"/>. Keys are built inside it (partition and
/// key hashed), so nothing a caller passes can name another partition's entry.
/// </summary>
public interface ITenantCache
{
    /// <summary>
    /// The cached value for <paramref name="purpose"/> and <paramref name="key"/> in this
    /// partition, or the factory's result (then cached). Concurrent callers of the same entry in
    /// one process share one factory run. When Redis cannot be reached the factory runs and
    /// nothing is cached: the call does not fail because of the cache.
    /// </summary>
    /// <typeparam name="T">A type System.Text.Json can round-trip (values cross processes through Redis).</typeparam>
    /// <param name="purpose">What is cached, a code constant such as <c>search</c>: 1-32 of a-z, 0-9, '.', '_', '-'.</param>
    /// <param name="key">What identifies the entry within the purpose (e.g. the query and its options); hashed, any length up to 100,000 characters.</param>
    /// <param name="factory">Computes the value on a miss.</param>
    /// <param name="ttl">Lifetime; <see cref="TenantCacheOptions.DefaultTtl"/> when null; at most <see cref="TenantCacheOptions.MaxTtl"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">A bad purpose, key or lifetime.</exception>
    ValueTask<T> GetOrCreateAsync<T>(
        string purpose,
        string key,
        Func<CancellationToken, ValueTask<T>> factory,
        TimeSpan? ttl = null,
        CancellationToken cancellationToken = default);

    /// <summary>Makes every entry of <paramref name="purpose"/> in this partition unreachable, in every process sharing Redis.</summary>
    /// <param name="purpose">The purpose, as given to <see cref="GetOrCreateAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the invalidation is in Redis.</returns>
    /// <exception cref="TenantCacheUnavailableException">Redis could not be reached; entries may be served until they expire once it is back.</exception>
    Task InvalidateAsync(string purpose, CancellationToken cancellationToken = default);

    /// <summary>Makes every entry of this partition unreachable, whatever its purpose, in every process sharing Redis.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the invalidation is in Redis.</returns>
    /// <exception cref="TenantCacheUnavailableException">Redis could not be reached.</exception>
    Task InvalidateAllAsync(CancellationToken cancellationToken = default);
}
