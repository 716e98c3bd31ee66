namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>
/// Limits and pool sizes of the sandboxed script workers (configuration section
/// <c>Workspace:Sandbox</c>; docs/workspace.md, "Sandbox"). Every limit applies per invocation.
/// </summary>
public sealed class SandboxOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workspace:Sandbox";

    /// <summary>How workers are isolated: <see cref="SandboxIsolation.Auto"/> (bubblewrap when it works here, else plain processes, logged), <see cref="SandboxIsolation.Bubblewrap"/> (required: without it run_script answers sandbox.unavailable) or <see cref="SandboxIsolation.Process"/> (plain processes on purpose).</summary>
    public SandboxIsolation Isolation { get; set; } = SandboxIsolation.Auto;

    /// <summary>The bubblewrap executable.</summary>
    public string BubblewrapPath { get; set; } = "/usr/bin/bwrap";

    /// <summary>Wall-clock limit of one call, enforced by the host (the default and the maximum a caller may ask for).</summary>
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>CPU time one call may use, measured by the host from /proc.</summary>
    public double CpuSeconds { get; set; } = 2;

    /// <summary>The worker's managed heap limit (GCHeapHardLimit); the cgroup memory limit adds <see cref="RuntimeOverheadMiB"/>.</summary>
    public int MemoryMiB { get; set; } = 256;

    /// <summary>Memory the .NET runtime needs beside the heap (code, stacks, native allocations).</summary>
    public int RuntimeOverheadMiB { get; set; } = 96;

    /// <summary>UTF-8 bytes of console output and the result's JSON together.</summary>
    public int MaxOutputBytes { get; set; } = 1024 * 1024;

    /// <summary>UTF-8 bytes of a script.</summary>
    public int MaxScriptBytes { get; set; } = 256 * 1024;

    /// <summary>UTF-8 bytes of the <c>input</c> argument's JSON.</summary>
    public int MaxInputBytes { get; set; } = 1024 * 1024;

    /// <summary>JavaScript statements one call may run (0: no statement limit; CPU time still applies).</summary>
    public long MaxStatements { get; set; }

    /// <summary>Nested function calls one call may make.</summary>
    public int MaxRecursion { get; set; } = 256;

    /// <summary><c>http.fetch</c> calls one script may make.</summary>
    public int MaxFetches { get; set; } = 20;

    /// <summary>Processes (and threads) one worker's cgroup may hold.</summary>
    public int MaxProcesses { get; set; } = 64;

    /// <summary>
    /// Invocations after which a worker is recycled. Each run gets a new engine, so nothing of a
    /// script survives it; recycling bounds what the runtime itself accumulates, and a start costs
    /// about half a CPU-second (docs/benchmarks.md, "Sandboxed scripts").
    /// </summary>
    public int InvocationsPerWorker { get; set; } = 10_000;

    /// <summary>Resident memory after a call above which the worker is recycled.</summary>
    public int RecycleAboveMiB { get; set; } = 160;

    /// <summary>Workers kept started and not yet bound to a tenant, so a call does not pay a process start.</summary>
    public int WarmWorkers { get; set; } = 2;

    /// <summary>Workers of all tenants together.</summary>
    public int MaxWorkers { get; set; } = 12;

    /// <summary>Workers one tenant may hold; a tenant's calls beyond it wait for one of its own.</summary>
    public int MaxWorkersPerTenant { get; set; } = 4;

    /// <summary>How long a tenant's idle worker is kept before it is stopped.</summary>
    public int IdleSeconds { get; set; } = 120;

    /// <summary>Cost of one CPU second, in the budget's currency (docs/workspace.md, "Cost").</summary>
    public decimal CostPerCpuSecond { get; set; } = 0.0001m;

    /// <summary>Cost of holding one GiB of memory for one second of wall clock.</summary>
    public decimal CostPerGiBSecond { get; set; } = 0.00005m;

    /// <summary>
    /// The cost of a run at these prices: CPU seconds at <see cref="CostPerCpuSecond"/>, GiB of peak
    /// memory held for the wall time at <see cref="CostPerGiBSecond"/>, rounded up to the millionth
    /// (the budget's precision), so a run that used anything is never free.
    /// </summary>
    /// <param name="cpuMs">CPU time the worker used.</param>
    /// <param name="peakMemoryBytes">The worker's peak resident memory.</param>
    /// <param name="wallMs">How long the run took.</param>
    /// <returns>The cost in the budget's currency.</returns>
    public decimal CostOf(double cpuMs, long peakMemoryBytes, double wallMs)
    {
        var cpuSeconds = (decimal)cpuMs / 1000m;
        var gibSeconds = peakMemoryBytes / (decimal)(1024L * 1024 * 1024) * (decimal)wallMs / 1000m;
        var cost = (cpuSeconds * CostPerCpuSecond) + (gibSeconds * CostPerGiBSecond);
        return decimal.Ceiling(cost * 1_000_000m) / 1_000_000m;
    }

    /// <summary>The problems of these options, empty when valid.</summary>
    /// <returns>One sentence per problem.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (TimeoutSeconds is < 1 or > 300)
        {
            problems.Add("TimeoutSeconds must be 1-300.");
        }

        if (CpuSeconds is < 0.1 or > 300)
        {
            problems.Add("CpuSeconds must be 0.1-300.");
        }

        if (MemoryMiB is < 32 or > 16384 || RuntimeOverheadMiB is < 32 or > 4096 || RecycleAboveMiB < 32)
        {
            problems.Add("MemoryMiB must be 32-16384, RuntimeOverheadMiB 32-4096 and RecycleAboveMiB at least 32.");
        }

        if (MaxOutputBytes is < 1024 or > 16 * 1024 * 1024 || MaxScriptBytes is < 1024 or > 4 * 1024 * 1024 || MaxInputBytes is < 0 or > 4 * 1024 * 1024)
        {
            problems.Add("MaxOutputBytes must be 1 KiB-16 MiB, MaxScriptBytes 1 KiB-4 MiB and MaxInputBytes 0-4 MiB.");
        }

        if (MaxStatements < 0 || MaxRecursion is < 1 or > 10_000 || MaxFetches is < 0 or > 1000 || MaxProcesses is < 16 or > 4096)
        {
            problems.Add("MaxStatements must be 0 or more, MaxRecursion 1-10000, MaxFetches 0-1000 and MaxProcesses 16-4096.");
        }

        if (InvocationsPerWorker < 1 || WarmWorkers < 0 || MaxWorkers < 1 || MaxWorkersPerTenant < 1 || MaxWorkersPerTenant > MaxWorkers || WarmWorkers > MaxWorkers || IdleSeconds < 1)
        {
            problems.Add("InvocationsPerWorker, MaxWorkers, MaxWorkersPerTenant and IdleSeconds must be at least 1, WarmWorkers at least 0, and neither WarmWorkers nor MaxWorkersPerTenant above MaxWorkers.");
        }

        if (CostPerCpuSecond < 0 || CostPerGiBSecond < 0)
        {
            problems.Add("CostPerCpuSecond and CostPerGiBSecond may not be negative.");
        }

        return problems;
    }
}
