using System.Collections.Concurrent;

namespace McpPlatform.Knowledge.Store;

/// <summary>
/// A token source that mints in this process with a <see cref="QdrantCollectionTokenMinter"/>.
/// For the privileged/provisioning side and for tests: a process using it holds the global API
/// key, so the collection-scoped tokens protect against request-path bugs, not against that
/// process being compromised. Where that matters, implement <see cref="IQdrantCollectionTokenSource"/>
/// by asking a separate token service and register it before <c>AddKnowledgeStore</c>.
/// Tokens are cached per collection until a fifth of their lifetime (at least 30 s) is left.
/// </summary>
public sealed class InProcessQdrantCollectionTokenSource(QdrantCollectionTokenMinter minter, TimeSpan lifetime, TimeProvider? timeProvider = null)
    : IQdrantCollectionTokenSource
{
    private readonly ConcurrentDictionary<string, QdrantCollectionToken> _cache = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly TimeSpan _refreshMargin = TimeSpan.FromTicks(Math.Max(lifetime.Ticks / 5, TimeSpan.FromSeconds(30).Ticks));

    public ValueTask<QdrantCollectionToken> GetTokenAsync(string collection, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue(collection, out var cached) && cached.ExpiresAt - _time.GetUtcNow() > _refreshMargin)
        {
            return ValueTask.FromResult(cached);
        }

        // Minting is one HMAC: racing callers each minting is cheaper than a lock.
        var fresh = minter.Mint(collection, lifetime);
        _cache[collection] = fresh;
        return ValueTask.FromResult(fresh);
    }
}
