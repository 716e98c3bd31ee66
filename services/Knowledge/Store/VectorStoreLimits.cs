namespace McpPlatform.Knowledge.Store;

/// <summary>Bounds on input, enforced identically by every provider.</summary>
public static class VectorStoreLimits
{
    /// <summary>Largest <c>topK</c> a search accepts.</summary>
    public const int MaxTopK = 100;

    /// <summary>Largest page of <see cref="ITenantVectorScope.ListDocumentsAsync"/>.</summary>
    public const int MaxPageSize = 200;

    /// <summary>Longest document id, in UTF-16 characters.</summary>
    public const int MaxDocumentIdLength = 256;

    /// <summary>Longest title, in UTF-16 characters.</summary>
    public const int MaxTitleLength = 512;

    /// <summary>Longest source URL, in UTF-16 characters.</summary>
    public const int MaxSourceUrlLength = 2048;

    /// <summary>Longest content hash, in UTF-16 characters.</summary>
    public const int MaxContentHashLength = 128;

    /// <summary>Most metadata entries per document.</summary>
    public const int MaxMetadataEntries = 32;

    /// <summary>Longest metadata key.</summary>
    public const int MaxMetadataKeyLength = 64;

    /// <summary>Longest metadata value, in UTF-16 characters.</summary>
    public const int MaxMetadataValueLength = 512;

    /// <summary>Most key=value pairs in a search filter.</summary>
    public const int MaxFilterEntries = 8;

    /// <summary>Most chunks per document.</summary>
    public const int MaxChunksPerDocument = 2048;

    /// <summary>Largest chunk text, in UTF-8 bytes.</summary>
    public const int MaxChunkTextBytes = 16 * 1024;
}
