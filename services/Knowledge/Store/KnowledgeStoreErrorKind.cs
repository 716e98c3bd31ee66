namespace McpPlatform.Knowledge.Store;

/// <summary>What went wrong in the store (as opposed to bad input, which is an <see cref="ArgumentException"/>).</summary>
public enum KnowledgeStoreErrorKind
{
    /// <summary>The tenant's partition has no storage yet (Qdrant: no collection; run the provisioner).</summary>
    NotProvisioned,

    /// <summary>The backend refused the credentials (Qdrant: token rejected or for another collection).</summary>
    AccessDenied,

    /// <summary>The backend did not answer or failed transiently.</summary>
    Unavailable,

    /// <summary>Stored data or its format is not what this version expects.</summary>
    Corrupt,

    /// <summary>The partition is full (embedded: <c>MaxChunksPerPartition</c>).</summary>
    CapacityExceeded,

    /// <summary>The storage is held by another process.</summary>
    Locked,
}
