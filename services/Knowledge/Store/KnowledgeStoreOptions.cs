namespace McpPlatform.Knowledge.Store;

/// <summary>Configuration section <c>Knowledge:Store</c>.</summary>
public sealed class KnowledgeStoreOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Knowledge:Store";

    /// <summary>The connection string name of the Qdrant resource (<c>ConnectionStrings:qdrant</c>).</summary>
    public const string QdrantConnectionName = "qdrant";

    /// <summary><c>embedded</c> (default) or <c>qdrant</c>.</summary>
    public VectorStoreProvider Provider { get; set; } = VectorStoreProvider.Embedded;

    /// <summary>Embedded: root folder of the partitions. Required for the embedded provider.</summary>
    public string? Path { get; set; }

    /// <summary>Secret from which opaque partition keys (folder and collection names) are derived. Required; never change it in place.</summary>
    public string? PartitionKeySecret { get; set; }

    /// <summary>Vector length; 384 for all-MiniLM-L6-v2.</summary>
    public int Dimensions { get; set; } = 384;

    /// <summary>Embedded: cap on chunks per partition (memory bound).</summary>
    public int MaxChunksPerPartition { get; set; } = EmbeddedVectorStore.DefaultMaxChunksPerPartition;

    /// <summary>Qdrant: lifetime of collection-scoped tokens (1 minute to 1 hour).</summary>
    public TimeSpan QdrantTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Qdrant: <c>Endpoint=http://host:port;Key=…</c>; filled from <c>ConnectionStrings:qdrant</c> when not set here.</summary>
    public string? QdrantConnectionString { get; set; }
}
