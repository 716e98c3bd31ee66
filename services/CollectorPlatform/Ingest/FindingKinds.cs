namespace McpPlatform.CollectorPlatform.Ingest;

/// <summary>What kind of tenant-free violation a record had.</summary>
public static class FindingKinds
{
    /// <summary>An attribute key outside the allow-list (removed).</summary>
    public const string AttributeNotAllowed = "attribute.not_allowed";

    /// <summary>A resource attribute outside the allow-list (removed).</summary>
    public const string ResourceAttributeNotAllowed = "resource_attribute.not_allowed";

    /// <summary>A string carrying a known tenant or principal value (redacted).</summary>
    public const string KnownTenantValue = "value.known_tenant";

    /// <summary>A span status message, which sources clear (removed).</summary>
    public const string StatusMessage = "status.message";

    /// <summary>A metric data point with a dimension outside the allow-list (dropped).</summary>
    public const string MetricDimension = "metric.dimension_not_allowed";
}
