using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace McpPlatform.Knowledge.Store;

/// <summary>Qdrant collection names for tenant partitions: <c>kb_</c> + the opaque partition key.</summary>
public static class QdrantCollectionNames
{
    /// <summary>Prefix of every knowledge collection.</summary>
    public const string Prefix = "kb_";

    /// <summary>The collection of a partition key from <see cref="TenantPartitionKeys"/>.</summary>
    public static string For(string partitionKey) =>
        TenantPartitionKeys.IsKeyShaped(partitionKey)
            ? Prefix + partitionKey
            : throw new ArgumentException("Not a partition key produced by TenantPartitionKeys.", nameof(partitionKey));

    /// <summary>True when <paramref name="name"/> is a knowledge collection name (and nothing else, e.g. not a wildcard).</summary>
    public static bool IsKnowledgeCollection(string? name) =>
        name is not null && name.StartsWith(Prefix, StringComparison.Ordinal) && TenantPartitionKeys.IsKeyShaped(name[Prefix.Length..]);
}

/// <summary>A minted Qdrant JWT and when it stops being accepted.</summary>
/// <param name="Token">The compact JWT, sent as the <c>api-key</c> header.</param>
/// <param name="Collection">The only collection it grants.</param>
/// <param name="ExpiresAt">Its <c>exp</c>.</param>
public sealed record QdrantCollectionToken(string Token, string Collection, DateTimeOffset ExpiresAt);

/// <summary>
/// Privileged side: mints Qdrant RBAC tokens (HS256 JWTs signed with the instance's API key,
/// Qdrant's <c>jwt_rbac</c> scheme) that grant read-write access to exactly one knowledge
/// collection: <c>{"exp": …, "access": [{"collection": "kb_…", "access": "rw"}]}</c>. Qdrant
/// refuses such a token for any other collection and for collection management (create, delete),
/// so a request-path bug that names another tenant's collection fails at Qdrant.
/// Whoever holds this object holds the global key: keep it out of request-path components.
/// </summary>
public sealed class QdrantCollectionTokenMinter
{
    /// <summary>Shortest token lifetime accepted.</summary>
    public static readonly TimeSpan MinimumLifetime = TimeSpan.FromMinutes(1);

    /// <summary>Longest token lifetime accepted.</summary>
    public static readonly TimeSpan MaximumLifetime = TimeSpan.FromHours(1);

    // {"alg":"HS256","typ":"JWT"}: fixed, so precomputed.
    private static readonly string EncodedHeader = Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);

    private readonly byte[] _key;
    private readonly TimeProvider _time;

    /// <param name="apiKey">Qdrant's global API key (the JWT signing secret when <c>jwt_rbac</c> is on).</param>
    /// <param name="timeProvider">Clock for <c>exp</c>.</param>
    public QdrantCollectionTokenMinter(string apiKey, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        _key = Encoding.UTF8.GetBytes(apiKey);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Mints a read-write token for one knowledge collection.</summary>
    /// <param name="collection">A name from <see cref="QdrantCollectionNames.For"/>; anything else is refused.</param>
    /// <param name="lifetime">Between <see cref="MinimumLifetime"/> and <see cref="MaximumLifetime"/>.</param>
    /// <returns>The token and its expiry.</returns>
    public QdrantCollectionToken Mint(string collection, TimeSpan lifetime)
    {
        if (!QdrantCollectionNames.IsKnowledgeCollection(collection))
        {
            throw new ArgumentException("Tokens are minted only for knowledge collections (kb_<partition key>).", nameof(collection));
        }

        if (lifetime < MinimumLifetime || lifetime > MaximumLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"Token lifetime must be between {MinimumLifetime} and {MaximumLifetime}.");
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((_time.GetUtcNow() + lifetime).ToUnixTimeSeconds());
        using var payload = new MemoryStream();
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            json.WriteNumber("exp", expiresAt.ToUnixTimeSeconds());
            json.WriteStartArray("access");
            json.WriteStartObject();
            json.WriteString("collection", collection);
            json.WriteString("access", "rw");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        var signingInput = EncodedHeader + "." + Base64Url.EncodeToString(payload.ToArray());
        var signature = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signingInput));
        return new QdrantCollectionToken(signingInput + "." + Base64Url.EncodeToString(signature), collection, expiresAt);
    }
}

/// <summary>
/// Where the request path gets the Qdrant token for a partition's collection. Implementations
/// must return a token scoped to that one collection (never the global key) and may cache it.
/// </summary>
public interface IQdrantCollectionTokenSource
{
    /// <summary>A valid collection-scoped token for <paramref name="collection"/>.</summary>
    /// <param name="collection">A knowledge collection name.</param>
    /// <param name="cancellationToken">Cancels fetching.</param>
    /// <returns>The token, valid for at least a little while longer.</returns>
    ValueTask<QdrantCollectionToken> GetTokenAsync(string collection, CancellationToken cancellationToken = default);
}

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
