namespace McpPlatform.ToolWorker;

/// <summary>
/// The console text outgrew the run's MaxOutputBytes: ends the run. A .NET exception, not a
/// JavaScript error, so the script cannot catch it.
/// </summary>
internal sealed class OutputLimitExceededException() : Exception("output limit");
