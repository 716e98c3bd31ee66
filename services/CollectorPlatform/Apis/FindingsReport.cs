using McpPlatform.CollectorPlatform.Ingest;

namespace McpPlatform.CollectorPlatform.Apis;

/// <summary>Findings of the tenant-free check, per emitting service.</summary>
/// <param name="Total">Findings since start.</param>
/// <param name="Counts">Per service, signal and kind.</param>
/// <param name="Recent">The most recent ones, newest first.</param>
public sealed record FindingsReport(long Total, IReadOnlyList<FindingCount> Counts, IReadOnlyList<Finding> Recent);
