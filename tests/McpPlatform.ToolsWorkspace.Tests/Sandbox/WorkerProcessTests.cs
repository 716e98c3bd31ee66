using System.Diagnostics;
using McpPlatform.ToolWorker.Protocol;
using McpPlatform.ToolsWorkspace.Sandbox;

namespace McpPlatform.ToolsWorkspace.Tests.Sandbox;

/// <summary>
/// The host's side of one worker, with the real worker program under the real launch (bubblewrap
/// where it works, cgroups where writable): how each kind of run ends, and what the host measures.
/// </summary>
[Collection(SandboxWorkersGroup.Name)]
public sealed class WorkerProcessTests
{
    private static readonly RunLimits s_limits = new(0, 256, 1024 * 1024, 20);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_TrivialScript_ReturnsValueAndMeasures()
    {
        var (environment, options) = Environment();
        await using var worker = await WorkerProcess.StartAsync(environment, options, TestSandbox.NewWorkerId(), "contoso", Cancel);

        var run = await worker.RunAsync(Run("console.log('hi'); 1 + 1"), Limits(5, 2), NoFetch, Cancel);

        run.Ended.ShouldBeNull();
        run.Done!.Ok.ShouldBe(true);
        run.Done.Value!.Value.GetInt32().ShouldBe(2);
        run.Done.Console.ShouldBe("hi");
        run.PeakMemoryBytes.ShouldBeGreaterThan(0);
        worker.Pid.ShouldNotBe(0);
    }

    [Fact]
    public async Task Start_EntersTheWorkersCgroups_WarmOnesInTheLowWeightGroupUntilBound()
    {
        var (environment, options) = Environment();
        var id = TestSandbox.NewWorkerId();
        await using var warm = await WorkerProcess.StartAsync(environment, options, id, tenant: null, Cancel);

        var groups = Cgroups(warm.Pid);
        groups["memory"].ShouldEndWith($"/mcpplatform-workers-{System.Environment.ProcessId}/{id}");
        groups["pids"].ShouldEndWith($"/mcpplatform-workers-{System.Environment.ProcessId}/{id}");
        groups["cpu"].ShouldEndWith("/warm");
        File.ReadAllText($"/sys/fs/cgroup/memory{groups["memory"]}/memory.limit_in_bytes").Trim().ShouldBe(((256L + 96) * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));

        warm.Bind("fabrikam");
        Cgroups(warm.Pid)["cpu"].ShouldContain("/t-");
    }

    [Fact]
    public async Task Run_Loop_IsKilledAtTheWallClockOrTheCpuLimit()
    {
        var (environment, options) = Environment();
        await using (var worker = await WorkerProcess.StartAsync(environment, options, TestSandbox.NewWorkerId(), "contoso", Cancel))
        {
            var started = Stopwatch.GetTimestamp();
            var run = await worker.RunAsync(Run("while (true) {}"), Limits(wallSeconds: 1, cpuSeconds: 10), NoFetch, Cancel);
            run.Ended.ShouldBe(WorkerEnd.Timeout);
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(3));
            worker.HasExited.ShouldBeTrue();
        }

        await using (var worker = await WorkerProcess.StartAsync(environment, options, TestSandbox.NewWorkerId(), "contoso", Cancel))
        {
            var run = await worker.RunAsync(Run("for (;;) {}"), Limits(wallSeconds: 10, cpuSeconds: 0.5), NoFetch, Cancel);
            run.Ended.ShouldBe(WorkerEnd.CpuLimit);
            run.Cpu.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.5));
        }
    }

    [Fact]
    public async Task Run_WorkerKilledFromOutside_EndsCrashed()
    {
        var (environment, options) = Environment();
        await using var worker = await WorkerProcess.StartAsync(environment, options, TestSandbox.NewWorkerId(), "contoso", Cancel);

        var run = worker.RunAsync(Run("while (true) {}"), Limits(10, 10), NoFetch, Cancel);
        await Task.Delay(300, Cancel);
        using (var process = Process.GetProcessById(worker.Pid))
        {
            process.Kill();
        }

        (await run).Ended.ShouldBe(WorkerEnd.Crashed);
    }

    [Fact]
    public async Task Run_MemoryBomb_EndsMemoryLimit()
    {
        var (environment, options) = Environment(memoryMiB: 64);
        await using var worker = await WorkerProcess.StartAsync(environment, options, TestSandbox.NewWorkerId(), "contoso", Cancel);

        var run = await worker.RunAsync(Run("const hoard = []; for (;;) { hoard.push(new Array(1000000).fill(hoard.length)); }"), Limits(10, 10), NoFetch, Cancel);

        (run.Ended == WorkerEnd.MemoryLimit || run.Done?.Error?.Code == ToolWorkerCodes.MemoryLimit).ShouldBeTrue($"{run.Ended} {run.Done?.Error}");
    }

    [Fact]
    public async Task Run_Fetch_GoesThroughTheHostsBroker()
    {
        var (environment, options) = Environment();
        await using var worker = await WorkerProcess.StartAsync(environment, options, TestSandbox.NewWorkerId(), "contoso", Cancel);
        WorkerMessage? asked = null;

        var run = await worker.RunAsync(Run("http.fetch('partner', '/v1/items').json().n"), Limits(5, 2), (fetch, _) =>
        {
            asked = fetch;
            return Task.FromResult(new HostMessage("fetched", Seq: fetch.Seq, Status: 200, ContentType: "application/json", Body: """{"n":3}""", Truncated: false));
        }, Cancel);

        run.Done!.Value!.Value.GetInt32().ShouldBe(3);
        asked!.Connection.ShouldBe("partner");
        asked.Path.ShouldBe("/v1/items");
    }

    // controller list -> path, from /proc/<pid>/cgroup (v1 lines "4:memory:/path").
    private static Dictionary<string, string> Cgroups(int pid) =>
        File.ReadAllLines($"/proc/{pid}/cgroup").Select(line => line.Split(':', 3)).Where(parts => parts.Length == 3)
            .SelectMany(parts => parts[1].Split(',').Select(controller => (controller, parts[2])))
            .Where(pair => pair.controller.Length > 0).ToDictionary(pair => pair.controller, pair => pair.Item2);

    private static (SandboxEnvironment, SandboxOptions) Environment(int memoryMiB = 256)
    {
        var options = new SandboxOptions { MemoryMiB = memoryMiB };
        return (TestSandbox.Environment(options), options);
    }

    

    private static HostMessage Run(string script) => new("run", Id: Guid.NewGuid().ToString("N"), Script: script, Limits: s_limits);

    private static CallLimits Limits(double wallSeconds, double cpuSeconds) =>
        new(TimeSpan.FromSeconds(wallSeconds), TimeSpan.FromSeconds(cpuSeconds), 8 * 1024 * 1024, TimeSpan.FromMilliseconds(50));

    private static Task<HostMessage> NoFetch(WorkerMessage fetch, CancellationToken cancellationToken) =>
        Task.FromResult(new HostMessage("fetched", Seq: fetch.Seq, Error: new WorkerError("connection.not_found", "none")));
}
