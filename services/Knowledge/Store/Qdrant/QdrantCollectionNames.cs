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
