namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>What the sandbox did with one call: in the result, and in the audit record's detail.</summary>
/// <param name="Isolation">"bubblewrap" or "process" (degraded).</param>
/// <param name="Worker">The worker that ran it (one tenant's only).</param>
/// <param name="Ended">ok, or the reason code it ended with.</param>
/// <param name="WallMs">Wall time of the run.</param>
/// <param name="CpuMs">CPU time of the worker during the run (10 ms resolution).</param>
/// <param name="PeakMemoryBytes">Peak resident memory of the worker during the run.</param>
/// <param name="Fetches">http.fetch calls the script made.</param>
/// <param name="Limits">The limits that applied.</param>
public sealed record ScriptSandboxFacts(
    string Isolation, string Worker, string Ended, double WallMs, double CpuMs, long PeakMemoryBytes, int Fetches, ScriptLimits Limits);
