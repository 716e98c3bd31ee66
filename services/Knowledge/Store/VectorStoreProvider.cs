namespace McpPlatform.Knowledge.Store;

/// <summary>Which vector store backs the knowledge tools.</summary>
public enum VectorStoreProvider
{
    /// <summary>In-process, files under <see cref="KnowledgeStoreOptions.Path"/> (local mode).</summary>
    Embedded,

    /// <summary>Qdrant at <c>ConnectionStrings:qdrant</c>.</summary>
    Qdrant,
}
