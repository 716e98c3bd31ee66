namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>How the host ended a run that the worker did not finish itself.</summary>
internal enum WorkerEnd
{
    /// <summary>Past the wall-clock limit; killed.</summary>
    Timeout,

    /// <summary>Past the CPU-time limit; killed.</summary>
    CpuLimit,

    /// <summary>Out of memory (cgroup limit hit or the runtime said so); the process died.</summary>
    MemoryLimit,

    /// <summary>A protocol line over the output limit; killed.</summary>
    OutputLimit,

    /// <summary>The process died for another reason.</summary>
    Crashed,
}
