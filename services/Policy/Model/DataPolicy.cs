namespace McpPlatform.Policy.Model;

/// <summary>Tenant data handling: vector isolation, cache lifetimes, export.</summary>
public sealed class DataPolicy
{
    /// <summary>Required vector-store isolation (today only <c>collection-per-partition</c>).</summary>
    public string? VectorIsolation { get; set; }

    /// <summary>Ceilings of tenant cache lifetimes in seconds, by cache.</summary>
    public CacheTtlCeilings? CacheTtlCeilingSeconds { get; set; }

    /// <summary>Who may export a tenant's knowledge.</summary>
    public ExportPolicy? Export { get; set; }
}
