namespace McpPlatform.Policy.Model;

/// <summary>Longest lifetime of a tenant cache entry, in seconds, by cache.</summary>
public sealed class CacheTtlCeilings
{
    /// <summary>Search result entries.</summary>
    public int? Search { get; set; }

    /// <summary>Query embedding entries.</summary>
    public int? Embedding { get; set; }
}
