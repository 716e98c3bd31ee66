using McpPlatform.Core;
using McpPlatform.Knowledge.Store;

namespace McpPlatform.ToolsKnowledge.Services;

/// <summary>An expected failure of a knowledge operation, carrying its reason code (<see cref="ToolErrorCodes"/>).</summary>
public sealed class KnowledgeToolException : Exception
{
    public KnowledgeToolException()
        : this(ToolErrorCodes.Unavailable, "The knowledge operation failed.")
    {
    }

    public KnowledgeToolException(string message)
        : this(ToolErrorCodes.Unavailable, message)
    {
    }

    public KnowledgeToolException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ToolErrorCodes.Unavailable;
    }

    public KnowledgeToolException(string code, string message, int? retryAfterSeconds = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>The reason code.</summary>
    public string Code { get; }

    /// <summary>When waiting helps, how long.</summary>
    public int? RetryAfterSeconds { get; }

    /// <summary>Maps a store failure to its reason code; the store's messages carry no tenant data.</summary>
    internal static KnowledgeToolException From(KnowledgeStoreException exception) => exception.Kind switch
    {
        KnowledgeStoreErrorKind.NotProvisioned => new(ToolErrorCodes.NotProvisioned,
            "Your knowledge base has not been provisioned yet; ask the platform operator to onboard your tenant.", null, exception),
        KnowledgeStoreErrorKind.CapacityExceeded => new(ToolErrorCodes.CapacityExceeded,
            "Your knowledge base is full; delete documents before adding more.", null, exception),
        KnowledgeStoreErrorKind.Locked or KnowledgeStoreErrorKind.Unavailable => new(ToolErrorCodes.Unavailable,
            "The knowledge store is unavailable right now; nothing was changed.", 5, exception),
        _ => new(ToolErrorCodes.Unavailable, "The knowledge store failed; nothing was changed.", null, exception),
    };
}
