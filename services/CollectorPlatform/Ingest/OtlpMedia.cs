namespace McpPlatform.CollectorPlatform.Ingest;

/// <summary>OTLP/HTTP media types.</summary>
public static class OtlpMedia
{
    /// <summary>Binary protobuf, the only encoding collector-platform accepts (docs/decisions/007).</summary>
    public const string Protobuf = "application/x-protobuf";
}
