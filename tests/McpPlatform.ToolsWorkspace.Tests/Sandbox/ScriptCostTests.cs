using McpPlatform.ToolsWorkspace.Sandbox;

namespace McpPlatform.ToolsWorkspace.Tests.Sandbox;

/// <summary>What a script run costs the tenant's budget (docs/workspace.md, "Cost").</summary>
public sealed class ScriptCostTests
{
    private static readonly SandboxOptions s_prices = new();

    [Fact]
    public void CostOf_ShortRunOnWarmWorker_IsNeverFree()
    {
        // 2 ms of CPU and 40 MiB for 15 ms: 2.3e-7 at the default prices. Rounded to the nearest
        // millionth it was 0, and a flood of short scripts spent no budget at all.
        s_prices.CostOf(cpuMs: 2, peakMemoryBytes: 40L * 1024 * 1024, wallMs: 15).ShouldBe(0.000001m);
    }

    [Fact]
    public void CostOf_LongerRun_IsCpuSecondsPlusGiBSecondsAtTheirPrices()
    {
        // 1.5 CPU s × 0.0001 + 0.5 GiB × 2 s × 0.00005 = 0.00015 + 0.00005.
        s_prices.CostOf(cpuMs: 1500, peakMemoryBytes: 512L * 1024 * 1024, wallMs: 2000).ShouldBe(0.0002m);
    }

    [Fact]
    public void CostOf_NothingUsed_IsZero()
    {
        s_prices.CostOf(cpuMs: 0, peakMemoryBytes: 0, wallMs: 0).ShouldBe(0m);
    }
}
