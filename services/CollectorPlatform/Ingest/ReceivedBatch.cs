namespace McpPlatform.CollectorPlatform.Ingest;

/// <summary>One batch as it arrived, before the collector's checks: what a service's own pipeline exported.</summary>
public sealed record ReceivedBatch(DateTimeOffset At, string Signal, string Service, string Json);
