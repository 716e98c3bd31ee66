namespace McpPlatform.CollectorPlatform.Ingest;

/// <summary>The collector's own meter.</summary>
public static class CollectorMeters
{
    /// <summary>Meter name.</summary>
    public const string Name = "McpPlatform.CollectorPlatform";
}
