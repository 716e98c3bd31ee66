using System.Security.Cryptography;
using McpPlatform.Core;
using McpPlatform.Knowledge.Store;

namespace McpPlatform.Knowledge.Tests.Store;

/// <summary>A provider under test: a store, a way to make tenants on it, and a way to reopen it.</summary>
public abstract class StoreHarness : IAsyncDisposable
{
    public const int Dimensions = 384;

    public abstract IVectorStore Store { get; }

    /// <summary>A tenant whose partition exists (provisioned where the provider needs it).</summary>
    public abstract Task<TenantContext> NewTenantAsync(string? dataPartition = null);

    /// <summary>The folder or collection name holding the tenant's data (what an attacker would aim at).</summary>
    public abstract string StorageNameOf(TenantContext tenant);

    /// <summary>Disposes the store and opens a new one over the same data.</summary>
    public abstract Task ReopenAsync();

    public abstract ValueTask DisposeAsync();

    public static TenantContext Tenant(string tenantId, string? dataPartition = null) =>
        new(tenantId, "agent-" + tenantId, PrincipalTypes.Agent, Guid.NewGuid().ToString("N"), dataPartition ?? tenantId, tenantId, tenantId);

    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
}

/// <summary>Deterministic unit vectors for tests.</summary>
public static class TestVectors
{
    public static float[] Random(int seed, int dimensions = StoreHarness.Dimensions)
    {
        var random = new Random(seed);
        var vector = new float[dimensions];
        double sum = 0;
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
            sum += vector[i] * vector[i];
        }

        var norm = (float)Math.Sqrt(sum);
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] /= norm;
        }

        return vector;
    }

    /// <summary>A vector close to <paramref name="vector"/> (cosine ≈ 0.99), so it finds that chunk first.</summary>
    public static float[] Near(float[] vector, int seed)
    {
        var noise = Random(seed, vector.Length);
        var result = new float[vector.Length];
        for (var i = 0; i < vector.Length; i++)
        {
            result[i] = vector[i] + (0.1f * noise[i]);
        }

        return result;
    }

    public static KnowledgeDocument Document(string id, int chunks, int seed, string? textPrefix = null, IReadOnlyDictionary<string, string>? metadata = null) =>
        new(id, "Title of " + id,
            [.. Enumerable.Range(0, chunks).Select(i => new KnowledgeChunk($"{textPrefix ?? id} chunk {i}", Random((seed * 1000) + i)))])
        {
            SourceUrl = $"https://example.test/{Uri.EscapeDataString(id)}",
            Metadata = metadata,
            ContentHash = $"hash-{seed}",
        };

    public static float[] ChunkVector(int seed, int chunk) => Random((seed * 1000) + chunk);
}
