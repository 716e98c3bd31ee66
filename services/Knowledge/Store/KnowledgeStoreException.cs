namespace McpPlatform.Knowledge.Store;

/// <summary>A store failure that is not the caller's bad input. The message never contains tenant data.</summary>
public sealed class KnowledgeStoreException : Exception
{
    public KnowledgeStoreException()
    {
    }

    public KnowledgeStoreException(string message)
        : base(message)
    {
    }

    public KnowledgeStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KnowledgeStoreException(KnowledgeStoreErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>The kind of failure, for mapping to a tool error.</summary>
    public KnowledgeStoreErrorKind Kind { get; } = KnowledgeStoreErrorKind.Unavailable;
}
