using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace McpPlatform.Knowledge.Store;

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
