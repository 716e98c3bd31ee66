namespace McpPlatform.CollectorPlatform.Ingest;

/// <summary>
/// One finding: which service emitted what kind of violation on which signal. It never holds the
/// offending value (that would copy tenant data into the findings), only the attribute key, itself
/// redacted when it contains a known value.
/// </summary>
public sealed record Finding(DateTimeOffset At, string Service, string Signal, string Kind, string Location);
