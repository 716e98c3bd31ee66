using McpPlatform.ToolWorker.Protocol;

namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>One run as the host saw it.</summary>
/// <param name="Done">The worker's own "done" message, when it finished the run.</param>
/// <param name="Ended">How the host ended it otherwise.</param>
/// <param name="Wall">Wall time.</param>
/// <param name="Cpu">CPU time of the worker during the run (10 ms resolution).</param>
/// <param name="PeakMemoryBytes">Peak resident memory of the worker during the run.</param>
internal sealed record WorkerRun(WorkerMessage? Done, WorkerEnd? Ended, TimeSpan Wall, TimeSpan Cpu, long PeakMemoryBytes);
