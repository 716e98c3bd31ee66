namespace McpPlatform.CollectorPlatform.Extensions;

/// <summary>Settings of collector-platform (section <c>CollectorPlatform</c>).</summary>
public sealed class CollectorPlatformOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "CollectorPlatform";

    /// <summary>
    /// Secret the services' ingest keys are derived from (<see cref="Core.TelemetryIngestKeys"/>;
    /// the AppHost passes it). Unset, every OTLP export is refused with 401.
    /// </summary>
    public string? IngestKeySecret { get; set; }

    /// <summary>Largest OTLP body accepted, after decompression; larger ones get 413.</summary>
    public int MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Tenant ids, tenant names and principal ids that must never appear in platform telemetry.
    /// Any string containing one (case-insensitive) is redacted and reported as a finding.
    /// Values shorter than <see cref="MinKnownValueLength"/> are ignored (they would match everywhere).
    /// </summary>
    public List<string> KnownTenantValues { get; set; } = [];

    /// <summary>Shortest known value that is checked.</summary>
    public const int MinKnownValueLength = 4;

    /// <summary>
    /// OTLP/HTTP base URL the cleaned data goes to (the Aspire dashboard). Defaults to the service's
    /// own OTEL_EXPORTER_OTLP_ENDPOINT when that speaks http/protobuf; empty means no forwarding.
    /// </summary>
    public string? ForwardEndpoint { get; set; }

    /// <summary>
    /// Traces per second forwarded in full; above it, a share of whole traces chosen by trace id
    /// (errors always kept) so the dashboard gets about this many (<see cref="Ingest.TraceForwardSampler"/>).
    /// 0 forwards every trace. Checks and statistics always see every span.
    /// </summary>
    public int ForwardMaxTracesPerSecond { get; set; } = 50;

    /// <summary>Batches waiting to be forwarded; beyond this, new batches are not forwarded (counted).</summary>
    public int ForwardQueueLength { get; set; } = 1000;

    /// <summary>
    /// How many received batches to keep, as received, for <c>GET /v1/received</c> (tests and
    /// diagnosis of the at-source rules). 0 (the default) keeps none and unmaps the endpoint.
    /// </summary>
    public int ReceivedBufferSize { get; set; }

    /// <summary>How many recent findings <c>GET /v1/findings</c> lists (counts are kept for all).</summary>
    public int RecentFindings { get; set; } = 200;
}
