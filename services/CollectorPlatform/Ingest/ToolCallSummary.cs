namespace McpPlatform.CollectorPlatform.Ingest;

/// <summary>Calls, errors, denials and latency of one tool on one service.</summary>
public sealed record ToolCallSummary(string Service, string Tool, long Calls, long Errors, long Denied, double P50Ms, double P95Ms, double P99Ms);
