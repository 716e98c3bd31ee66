namespace McpPlatform.CollectorPlatform.Ingest;

/// <summary>Counts of one service, signal and kind.</summary>
public sealed record FindingCount(string Service, string Signal, string Kind, long Count);
