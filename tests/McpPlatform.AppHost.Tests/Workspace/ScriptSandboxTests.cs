using System.Diagnostics;
using McpPlatform.AppHost.Tests.Mcp;
using McpPlatform.AppHost.Tests.Telemetry;
using McpPlatform.Core;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpPlatform.AppHost.Tests.Workspace;

/// <summary>
/// run_script in real worker processes under bubblewrap, probed from the test through /proc:
/// what a worker can see, what ends a hostile script, and that a neighbour never notices.
/// </summary>
public sealed class ScriptSandboxTests(PlatformFixture platform)
{
    private const string Trivial = "1 + 1";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Task ReadyAsync() => platform.WaitForHealthyAsync(PlatformServices.ToolsWorkspace.ResourceName, PlatformServices.Partner.ResourceName,
        PlatformServices.Secrets.ResourceName);

    [Fact]
    public async Task RunScript_FetchThroughConnection_ReturnsValueConsoleAndSandboxFacts()
    {
        await ReadyAsync();
        var after = await WorkspaceClient.PartnerLastSeqAsync(Cancel);
        await using var contoso = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);
        var invocationId = $"script-{Guid.NewGuid():N}";

        var result = await WorkspaceClient.RunScriptAsync(contoso,
            $"const r = http.fetch('{DemoDirectory.PartnerConnectionName}', '/v1/whoami'); console.log('status', r.status, input.n); r.json()",
            Cancel, input: new { n = 7 }, invocationId: invocationId);

        result.IsError.ShouldNotBe(true, result.StructuredContent?.GetRawText());
        var answer = result.StructuredContent!.Value;
        answer.GetProperty("value").GetProperty("tenant").GetString().ShouldBe(DemoDirectory.ContosoSlug);
        answer.GetProperty("console").GetString().ShouldBe("status 200 7");
        var sandbox = answer.GetProperty("sandbox");
        sandbox.GetProperty("isolation").GetString().ShouldBe("bubblewrap");
        sandbox.GetProperty("ended").GetString().ShouldBe("ok");
        sandbox.GetProperty("fetches").GetInt32().ShouldBe(1);
        sandbox.GetProperty("limits").GetProperty("cgroups").GetBoolean().ShouldBeTrue();
        answer.GetRawText().ShouldNotContain(Support.DemoSecrets.Get(DemoDirectory.Parameters.PartnerContosoKey));

        // The partner saw contoso's key, attached by the host; the audit record says how the call ran.
        var seen = (await WorkspaceClient.PartnerRequestsAsync(after, Cancel)).Where(r => r.GetProperty("path").GetString() == "/v1/whoami").ToList();
        seen.ShouldContain(r => r.GetProperty("keySha256").GetString() == WorkspaceClient.KeySha256(DemoDirectory.Parameters.PartnerContosoKey));
        var records = await AuditClient.WaitForRecordsAsync(await AuditClient.AliceAsync(Cancel), $"invocation={invocationId}", 2, Cancel);
        var call = records.Single(r => r.GetProperty("kind").GetString() == AuditKinds.ToolCall);
        call.GetProperty("tool").GetString().ShouldBe("run_script");
        call.GetProperty("outcome").GetString().ShouldBe(AuditOutcomes.Success);
        var detail = call.GetProperty("detail").GetProperty("sandbox");
        detail.GetProperty("ended").GetString().ShouldBe("ok");
        detail.GetProperty("limits").GetProperty("wallClockMs").GetInt32().ShouldBe(5000);
        detail.GetProperty("limits").GetProperty("memoryMiB").GetInt32().ShouldBe(256);
        call.GetProperty("usageCost").GetDecimal().ShouldBeGreaterThan(0m);
        records.ShouldContain(r => r.GetProperty("kind").GetString() == AuditKinds.SecretRead && r.GetProperty("tool").GetString() == "run_script");
    }

    [Fact]
    public async Task Health_ShowsTheSandboxChecksDescription_AndNoOtherChecksDetails()
    {
        await ReadyAsync();
        using var http = new HttpClient();

        using var health = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(
            new Uri(PlatformServices.ToolsWorkspace.LocalUrl, HealthEndpoints.Health), Cancel));

        var checks = health.RootElement.GetProperty("checks").EnumerateArray().ToList();
        var sandbox = checks.Single(c => c.GetProperty("name").GetString() == "sandbox");
        sandbox.GetProperty("status").GetString().ShouldBe("Healthy");
        sandbox.GetProperty("description").GetString()!.ShouldContain("bubblewrap");
        checks.Where(c => c.GetProperty("name").GetString() != "sandbox").Select(c => c.TryGetProperty("description", out var _)).ShouldAllBe(has => !has);
    }

    [Fact]
    public async Task RunningWorker_SeenFromTheHost_HasNoEnvironmentNetworkOrHostPidsAndAReadOnlyRoot()
    {
        await ReadyAsync();
        await using var contoso = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);
        var worker = WorkspaceClient.WorkerOf(await WorkspaceClient.RunScriptAsync(contoso, Trivial, Cancel));

        // The same worker (the tenant's idle one) runs the loop while the test looks at it.
        var loop = WorkspaceClient.RunScriptAsync(contoso, "while (true) {}", Cancel, timeoutSeconds: 2);
        var pid = await ToolWorkers.WaitForPidAsync(worker, Cancel);

        // Runtime settings only, and the PWD bubblewrap always sets.
        ToolWorkers.EnvironmentNames(pid).ShouldAllBe(name => name.StartsWith("DOTNET_", StringComparison.Ordinal) || name == "PWD");
        ToolWorkers.EnvironmentNames(pid).ShouldContain("DOTNET_GCHeapHardLimit");
        ToolWorkers.Namespace(pid, "net").ShouldNotBe(ToolWorkers.Namespace(Environment.ProcessId, "net"));
        ToolWorkers.Namespace(pid, "pid").ShouldNotBe(ToolWorkers.Namespace(Environment.ProcessId, "pid"));
        ToolWorkers.Namespace(pid, "ipc").ShouldNotBe(ToolWorkers.Namespace(Environment.ProcessId, "ipc"));
        ToolWorkers.Namespace(pid, "mnt").ShouldNotBe(ToolWorkers.Namespace(Environment.ProcessId, "mnt"));
        // Inside its own pid namespace it is a low number and sees no host pid.
        ToolWorkers.NamespacePids(pid).Length.ShouldBe(2);
        int.Parse(ToolWorkers.NamespacePids(pid)[1], System.Globalization.CultureInfo.InvariantCulture).ShouldBeLessThan(10);
        ToolWorkers.RootMountOptions(pid).Split(',').ShouldContain("ro");

        WorkspaceClient.ErrorCode(await loop).ShouldBe(ToolErrorCodes.Timeout);
    }

    [Fact]
    public async Task InfiniteLoop_EndsInTimeout_WhileFabrikamIsUnaffected()
    {
        await ReadyAsync();
        await using var contoso = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);
        await using var fabrikam = await WorkspaceClient.ConnectAsync(await WorkspaceClient.FabrikamAgentAsync(Cancel), Cancel);

        // A 1 s wall clock ends it before the 2 s CPU budget can (one thread's CPU time never outruns the clock).
        var (timedOut, neighbour) = await WithNeighbourAsync(fabrikam, () => WorkspaceClient.RunScriptAsync(contoso, "while (true) {}", Cancel, timeoutSeconds: 1));

        WorkspaceClient.ErrorCode(timedOut).ShouldBe(ToolErrorCodes.Timeout);
        neighbour.ShouldAllBe(r => r.IsError != true);
        // The pool refills: contoso's next call runs at once on a worker of its own.
        WorkspaceClient.WorkerOf(await WorkspaceClient.RunScriptAsync(contoso, Trivial, Cancel)).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task BusyLoop_EndsAtTheCpuBudgetOrTheWallClock_AsTheAuditRecordMeasured()
    {
        await ReadyAsync();
        await using var contoso = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);
        var invocationId = $"script-{Guid.NewGuid():N}";

        var spun = await WorkspaceClient.RunScriptAsync(contoso, "let i = 0; for (;;) { i++; }", Cancel, invocationId: invocationId);

        // Which limit comes first depends on how much CPU the worker got (its cgroup weighs less
        // than the platform's own services); either way the record must agree with the code.
        var code = WorkspaceClient.ErrorCode(spun);
        var records = await AuditClient.WaitForRecordsAsync(await AuditClient.AliceAsync(Cancel), $"invocation={invocationId}", 1, Cancel);
        var sandbox = records.Single().GetProperty("detail").GetProperty("sandbox");
        sandbox.GetProperty("ended").GetString().ShouldBe(code);
        if (code == ToolErrorCodes.CpuLimit)
        {
            sandbox.GetProperty("cpuMs").GetDouble().ShouldBeGreaterThanOrEqualTo(2000);
            sandbox.GetProperty("wallMs").GetDouble().ShouldBeLessThan(5000 + 500);
        }
        else
        {
            code.ShouldBe(ToolErrorCodes.Timeout);
            sandbox.GetProperty("cpuMs").GetDouble().ShouldBeLessThan(2000 + 100);
            sandbox.GetProperty("wallMs").GetDouble().ShouldBeGreaterThanOrEqualTo(5000);
        }
    }

    [Fact]
    public async Task MemoryBomb_EndsInMemoryLimit_WhileFabrikamIsUnaffected()
    {
        await ReadyAsync();
        await using var contoso = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);
        await using var fabrikam = await WorkspaceClient.ConnectAsync(await WorkspaceClient.FabrikamAgentAsync(Cancel), Cancel);

        // 16 MiB strings: the heap limit is reached in a few allocations, well inside the wall
        // clock even on a loaded machine (1 MiB ones needed 256 and could run out of time there).
        var (bomb, neighbour) = await WithNeighbourAsync(fabrikam, () => WorkspaceClient.RunScriptAsync(contoso,
            "const hoard = []; for (let i = 0; ; i++) { hoard.push('x'.repeat(1 << 23) + i); }", Cancel));

        WorkspaceClient.ErrorCode(bomb).ShouldBe(ToolErrorCodes.MemoryLimit);
        neighbour.ShouldAllBe(r => r.IsError != true);
        WorkspaceClient.WorkerOf(await WorkspaceClient.RunScriptAsync(contoso, Trivial, Cancel)).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task WorkerKilledMidCall_EndsThatCallCrashed_AndTheNextCallRuns()
    {
        await ReadyAsync();
        await using var contoso = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);
        await using var fabrikam = await WorkspaceClient.ConnectAsync(await WorkspaceClient.FabrikamAgentAsync(Cancel), Cancel);
        var worker = WorkspaceClient.WorkerOf(await WorkspaceClient.RunScriptAsync(contoso, Trivial, Cancel));

        var (crashed, neighbour) = await WithNeighbourAsync(fabrikam, async () =>
        {
            var call = WorkspaceClient.RunScriptAsync(contoso, "while (true) {}", Cancel);
            var pid = await ToolWorkers.WaitForPidAsync(worker, Cancel);
            await Task.Delay(200, Cancel);
            using (var process = Process.GetProcessById(pid))
            {
                process.Kill();
            }

            return await call;
        });

        WorkspaceClient.ErrorCode(crashed).ShouldBe(ToolErrorCodes.Crashed);
        neighbour.ShouldAllBe(r => r.IsError != true);
        WorkspaceClient.WorkerOf(await WorkspaceClient.RunScriptAsync(contoso, Trivial, Cancel)).ShouldNotBe(worker);
    }

    [Fact]
    public async Task Workers_NeverServeTwoTenants_CheckedByPid()
    {
        await ReadyAsync();
        await using var contoso = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);
        await using var fabrikam = await WorkspaceClient.ConnectAsync(await WorkspaceClient.FabrikamAgentAsync(Cancel), Cancel);

        var calls = Enumerable.Range(0, 8).SelectMany(_ => new[]
        {
            (Tenant: "contoso", Call: WorkspaceClient.RunScriptAsync(contoso, Trivial, Cancel)),
            (Tenant: "fabrikam", Call: WorkspaceClient.RunScriptAsync(fabrikam, Trivial, Cancel)),
        }).ToList();
        await Task.WhenAll(calls.Select(c => c.Call));

        var pids = calls.Select(c => (c.Tenant, Pid: ToolWorkers.PidOf(WorkspaceClient.WorkerOf(c.Call.Result)))).ToList();
        pids.ShouldAllBe(p => p.Pid > 0);
        var contosoPids = pids.Where(p => p.Tenant == "contoso").Select(p => p.Pid).ToHashSet();
        var fabrikamPids = pids.Where(p => p.Tenant == "fabrikam").Select(p => p.Pid).ToHashSet();
        contosoPids.Intersect(fabrikamPids).ShouldBeEmpty();
    }

    [Fact]
    public async Task BadInput_GetsClearToolErrors()
    {
        await ReadyAsync();
        await using var contoso = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);

        var syntax = await WorkspaceClient.RunScriptAsync(contoso, "let x = ;", Cancel);
        WorkspaceClient.ErrorCode(syntax).ShouldBe(ToolErrorCodes.ScriptError);
        Message(syntax).ShouldContain("line 1");

        var thrown = await WorkspaceClient.RunScriptAsync(contoso, "const a = 1;\nnoSuchFunction();", Cancel);
        WorkspaceClient.ErrorCode(thrown).ShouldBe(ToolErrorCodes.ScriptError);
        Message(thrown).ShouldContain("noSuchFunction");
        Message(thrown).ShouldContain("line 2");

        var unknown = await WorkspaceClient.RunScriptAsync(contoso, "http.fetch('no-such-connection', '/v1/items')", Cancel);
        WorkspaceClient.ErrorCode(unknown).ShouldBe(ToolErrorCodes.ConnectionNotFound);

        var caught = await WorkspaceClient.RunScriptAsync(contoso, "try { http.fetch('no-such-connection', '/') } catch (e) { e.code }", Cancel);
        caught.StructuredContent!.Value.GetProperty("value").GetString().ShouldBe(ToolErrorCodes.ConnectionNotFound);

        var huge = await WorkspaceClient.RunScriptAsync(contoso, "//" + new string('x', 300 * 1024), Cancel);
        WorkspaceClient.ErrorCode(huge).ShouldBe(ToolErrorCodes.InvalidArgument);

        // An escaped lone surrogate (valid JSON, not valid text) and bytes that are not UTF-8.
        var token = await WorkspaceClient.ContosoAgentAsync(Cancel);
        var (_, surrogate) = await McpClientFactory.RawCallAsync(PlatformServices.ToolsWorkspace, token,
            McpClientFactory.ToolCallJson("run_script", """{"script":"'\ud800'"}"""), Cancel);
        surrogate!.Value.GetProperty("result").GetProperty("structuredContent").GetProperty("error").GetProperty("code").GetString().ShouldBe(ToolErrorCodes.InvalidText);
        var bytes = McpClientFactory.ToolCallJson("run_script", """{"script":"'XX'"}""");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xC3;
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0x28;
        var (_, invalidUtf8) = await McpClientFactory.RawCallAsync(PlatformServices.ToolsWorkspace, token, bytes, Cancel);
        invalidUtf8!.Value.GetProperty("result").GetProperty("structuredContent").GetProperty("error").GetProperty("code").GetString().ShouldBe(ToolErrorCodes.InvalidText);

        var recursion = await WorkspaceClient.RunScriptAsync(contoso, "function f(n) { return f(n + 1); } f(0)", Cancel);
        WorkspaceClient.ErrorCode(recursion).ShouldBe(ToolErrorCodes.ScriptError);

        var output = await WorkspaceClient.RunScriptAsync(contoso, "for (let i = 0; i < 100000; i++) console.log('x'.repeat(100))", Cancel);
        WorkspaceClient.ErrorCode(output).ShouldBe(ToolErrorCodes.OutputLimit);

        var timeout = await WorkspaceClient.RunScriptAsync(contoso, Trivial, Cancel, timeoutSeconds: 600);
        WorkspaceClient.ErrorCode(timeout).ShouldBe(ToolErrorCodes.InvalidArgument);

        // After all that, the tenant's scripts still run.
        (await WorkspaceClient.RunScriptAsync(contoso, "[1, 2, 3].map(x => x * 2)", Cancel)).StructuredContent!.Value
            .GetProperty("value").GetRawText().ShouldBe("[2,4,6]");
    }

    private static string Message(CallToolResult result) =>
        result.StructuredContent!.Value.GetProperty("error").GetProperty("message").GetString()!;

    // Runs the hostile call while fabrikam calls run_script again and again until it ends, ten
    // times a second (under the agent's rate limit, so any error would be the sandbox's doing).
    private static async Task<(CallToolResult Hostile, List<CallToolResult> Neighbour)> WithNeighbourAsync(McpClient fabrikam, Func<Task<CallToolResult>> hostile)
    {
        var neighbour = new List<CallToolResult>();
        var call = hostile();
        while (!call.IsCompleted || neighbour.Count == 0)
        {
            neighbour.Add(await WorkspaceClient.RunScriptAsync(fabrikam, "[1, 2, 3].reduce((a, b) => a + b, 0)", Cancel));
            await Task.Delay(100, Cancel);
        }

        return (await call, neighbour);
    }
}
