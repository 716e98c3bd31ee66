namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>The limits one call ran under.</summary>
/// <param name="WallClockMs">Wall clock.</param>
/// <param name="CpuMs">CPU time.</param>
/// <param name="MemoryMiB">Managed heap of the worker.</param>
/// <param name="OutputBytes">Console output and result together.</param>
/// <param name="Statements">JavaScript statements (0: none).</param>
/// <param name="Recursion">Nested calls.</param>
/// <param name="Fetches">http.fetch calls.</param>
/// <param name="Cgroups">Whether cgroup memory, pids and cpu limits applied.</param>
public sealed record ScriptLimits(int WallClockMs, int CpuMs, int MemoryMiB, int OutputBytes, long Statements, int Recursion, int Fetches, bool Cgroups);
