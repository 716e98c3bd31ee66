namespace McpPlatform.Knowledge.Store;

/// <summary>A document to store: its chunks in order, each with its embedding.</summary>
/// <param name="DocumentId">Caller's id for the document (the idempotency key); data, never a storage address.</param>
/// <param name="Title">Display title returned with every hit.</param>
/// <param name="Chunks">At least one chunk; chunk <c>i</c> gets index <c>i</c>.</param>
public sealed record KnowledgeDocument(string DocumentId, string Title, IReadOnlyList<KnowledgeChunk> Chunks)
{
    /// <summary>Where the document came from, if known.</summary>
    public string? SourceUrl { get; init; }

    /// <summary>Exact-match filterable key=value pairs (keys: letters, digits, '_' and '-').</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Optional hash of the source text, returned by list/get so a caller can skip re-embedding unchanged text.</summary>
    public string? ContentHash { get; init; }
}
