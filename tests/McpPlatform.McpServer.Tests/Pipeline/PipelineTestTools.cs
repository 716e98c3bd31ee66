using System.Collections.Concurrent;
using McpPlatform.Core;
using McpPlatform.McpServer.Pipeline;
using McpPlatform.McpServer.Quota;
using McpPlatform.Quota.Engine;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.McpServer.Tests.Pipeline;

/// <summary>How often each test tool actually ran (a denied or refused call never gets here).</summary>
public sealed class ToolRuns
{
    private readonly ConcurrentDictionary<string, int> _runs = new(StringComparer.Ordinal);

    public void Ran(string tool) => _runs.AddOrUpdate(tool, 1, (_, count) => count + 1);

    public int Of(string tool) => _runs.TryGetValue(tool, out var count) ? count : 0;

    /// <summary>What <c>hold</c> waits for; completed by the test.</summary>
    public TaskCompletionSource Gate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What <c>whoami</c> saw from inside the call.</summary>
/// <param name="TenantId">The tenant of the call's context.</param>
/// <param name="PrincipalId">The principal.</param>
/// <param name="PrincipalType">user or agent.</param>
/// <param name="InvocationId">The call's invocation id.</param>
/// <param name="LeasesInFlight">The tenant's leases held in Redis while the tool ran.</param>
public sealed record WhoAmIProbe(string TenantId, string PrincipalId, string PrincipalType, string InvocationId, long LeasesInFlight);

/// <summary>The second MCP server's tools: one per way a call can end.</summary>
[McpServerToolType]
public sealed class PipelineTestTools
{
    public const string WhoAmI = "whoami";
    public const string Explode = "explode";
    public const string Refuse = "refuse";
    public const string Spend = "spend";
    public const string Typed = "typed";
    public const string Hold = "hold";

    public const string ExceptionMessage = "connection string Server=secret-db;Password=hunter2 is wrong";
    public const string RefusalCode = "pipeline_test.refused";
    public const long SpentTokens = 42;
    public const decimal SpentCost = 0.25m;

    [McpServerTool(Name = WhoAmI)]
    public static async Task<CallToolResult> WhoAmIAsync(TenantContext tenant, QuotaEngine engine, ToolRuns runs)
    {
        runs.Ran(WhoAmI);
        var usage = await engine.GetUsageAsync(tenant.TenantId, tenant.QuotaPartition);
        return ToolResults.Structured(new WhoAmIProbe(tenant.TenantId, tenant.PrincipalId, tenant.PrincipalType, tenant.InvocationId, usage.Concurrency.InFlight));
    }

    [McpServerTool(Name = Explode)]
    public static CallToolResult ExplodeNow(ToolRuns runs)
    {
        runs.Ran(Explode);
        throw new InvalidOperationException(ExceptionMessage);
    }

    [McpServerTool(Name = Refuse)]
    public static CallToolResult RefuseNow(ToolCall call, ToolRuns runs)
    {
        runs.Ran(Refuse);
        return call.Fail(RefusalCode, "The test tool refuses, as a tool reports an expected failure.");
    }

    /// <summary>Runs until the test opens <see cref="ToolRuns.Gate"/>: a call that keeps its slot.</summary>
    [McpServerTool(Name = Hold)]
    public static async Task<CallToolResult> HoldAsync(ToolRuns runs, CancellationToken cancellationToken)
    {
        runs.Ran(Hold);
        await runs.Gate.Task.WaitAsync(cancellationToken);
        return ToolResults.Structured(new { held = true });
    }

    [McpServerTool(Name = Spend)]
    public static CallToolResult SpendNow(InvocationUsage usage, ToolRuns runs)
    {
        runs.Ran(Spend);
        usage.Add(SpentTokens, SpentCost);
        return ToolResults.Structured(new { spent = SpentTokens });
    }

    /// <summary>Takes one parameter of each kind the SDK describes in a schema; echoes what it got.</summary>
    [McpServerTool(Name = Typed)]
    public static CallToolResult TypedNow(
        ToolRuns runs,
        string query,
        int topK = 5,
        bool exact = false,
        double? weight = null,
        string[]? tags = null,
        Dictionary<string, string>? filter = null,
        DayOfWeek day = DayOfWeek.Monday)
    {
        runs.Ran(Typed);
        return ToolResults.Structured(new { query, topK, exact, weight, tags = tags?.Length ?? 0, filter = filter?.Count ?? 0, day = day.ToString() });
    }
}
