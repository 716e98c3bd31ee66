using McpPlatform.ToolWorker.Protocol;

namespace McpPlatform.ToolWorker;

/// <summary>A run's "done" line, and the exit code the worker must leave with after writing it (if any).</summary>
internal sealed record RunResult(WorkerMessage Done, int? ExitCode = null);
