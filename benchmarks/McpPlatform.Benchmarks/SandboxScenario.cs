using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpPlatform.Core;

namespace McpPlatform.Benchmarks;

/// <summary>
/// The sandboxed <c>run_script</c> of the running tools-workspace (issue 14), side by side with
/// its <c>whoami</c> (the same call pipeline without a worker) and the bare SDK echo: what a warm
/// worker adds to a call, throughput at 16 and 64 callers (one tenant, and two), another tenant's
/// latency while one tenant runs endless loops and memory bombs at its worker cap, and the worker
/// lifecycle (cold start, resident memory of an idle worker, recovery after a worker is killed).
/// Linux only (reads /proc, starts bubblewrap).
/// </summary>
public sealed class SandboxScenario : IScenario
{
    private const string Simple = "1 + 1";
    private const string Loop = "while(true){}";
    private const string MemoryBomb = "const h=[]; for(let i=0;;i++) h.push('x'.repeat(1<<20)+i)";
    private const string WorkerAssembly = "McpPlatform.ToolWorker.dll";
    private const int NeighbourCallers = 4;
    private const int HostileCallers = 4;
    private const int ColdStarts = 10;
    // The hostile callers start (and take their workers) before the neighbour's measured window opens.
    private const double HostileLeadSeconds = 1.5;
    private const double OverheadTargetMs = 2;
    private const double ThroughputTarget = 500;
    private const double NeighbourTargetRatio = 1.5;
    private static readonly int[] Concurrencies = [1, 16, 64];
    private static readonly double s_ticksPerSecond = double.Parse(Machine.Run("getconf", "CLK_TCK") ?? "100", CultureInfo.InvariantCulture);

    private static readonly HttpClient s_http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    private sealed record Round(double P50, double P99, double Throughput, int Errors, int Failed, int WorkerStarts = 0);

    private sealed record Variant(string Name, int MinConcurrency, Func<int, double, Task<(Round Round, Samples Samples)>> Run);

    public async Task<ScenarioReport> RunAsync(BenchmarkOptions options)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("sandbox reads /proc and starts bubblewrap.");
        }

        await Platform.EnsureRunningAsync();
        await EnsureHealthyAsync(PlatformServices.ToolsWorkspace, PlatformServices.Secrets, PlatformServices.Partner);
        var endpoint = new Uri(PlatformServices.ToolsWorkspace.LocalMcpResource);
        var operatorToken = Platform.Token("operator", PlatformServices.Quota.LocalOrigin);
        await Platform.SetLimitsAsync(operatorToken, DemoDirectory.ContosoTenantId, Platform.Unbounded());
        await Platform.SetLimitsAsync(operatorToken, DemoDirectory.FabrikamTenantId, Platform.Unbounded());
        var contoso = Platform.Token("contoso-agent", endpoint.ToString());
        var fabrikam = Platform.Token("fabrikam-agent", endpoint.ToString());
        var simple = McpLoad.Body("run_script", new { script = Simple });
        EndToEndHelpers.PinDriver();

        var markdown = new StringBuilder();
        var loadBefore = LoadAverage();
        try
        {
            await using var bare = await ServerProcess.StartAsync("bare");
            var throughput = await MeasureCallsAsync(options, endpoint, contoso, fabrikam, simple, bare);
            var neighbour = await MeasureNeighbourAsync(options, endpoint, contoso, fabrikam, simple);
            var lifecycle = await MeasureLifecycleAsync(options, endpoint, contoso, simple);
            var loadAfter = LoadAverage();
            markdown
                .AppendLine("## Sandboxed scripts (run_script)")
                .AppendLine()
                .AppendLine(EndToEndHelpers.Header(options, $"load driver pinned to CPU 1, the bare echo server to CPU {bare.PinnedTo ?? "none (no taskset)"}; the platform (tools-workspace and its workers included) unpinned on the same 2 cores"))
                .AppendLine("- What: the running `tools-workspace` (`Workspace:Sandbox` as shipped: bubblewrap, 2 warm workers, at most 4 per tenant, a worker recycled after `InvocationsPerWorker` = 10,000 calls, a worker started in its tenant's cpu cgroup (cpu.shares 1024) or, when warm, in a `warm` group of cpu.shares 128), contoso's and fabrikam's quota limits lifted through the operator API for the run and removed after. `whoami` = the whole call pipeline (token, tenant context, admission, audit, telemetry) with no worker; `run_script` = the same plus a worker of the caller's tenant running `1 + 1` (Jint); `bare` = the SDK echo server of [Admission overhead](#admission-overhead-tools-call-end-to-end) started by this benchmark. Closed loop, keep-alive; the variants alternate within each round.")
                .AppendLine($"- Command: `eng/run.sh` (the AppHost as `dotnet run --project AppHost`: services built in Debug by `dotnet build McpPlatform.sln`, unlike the Release runs above), then `DOTNET_TC_CallCountingDelayMs=0 dotnet run -c Release --project benchmarks/McpPlatform.Benchmarks -- sandbox --rounds {options.Rounds} --seconds {options.Seconds} --warmup {options.WarmupSeconds}`.")
                .AppendLine($"- Machine load (/proc/loadavg, 1, 5, 15 min) at the start: {loadBefore}; at the end: {loadAfter}. The machine is shared: another engineer's builds and tests may run beside the benchmark.")
                .AppendLine("- Targets ([Targets](#targets-and-method)): a warm worker adds ≤ 2 ms p50 to a call; ≥ 500 calls/s on 2 cores; under a hostile tenant at its worker cap the other tenant's p99 ≤ 1.5× solo with 0 errors.")
                .AppendLine()
                .Append(throughput.Markdown)
                .AppendLine()
                .Append(neighbour.Markdown)
                .AppendLine()
                .Append(lifecycle)
                .AppendLine()
                .AppendLine("### Against the targets")
                .AppendLine()
                .AppendLine("| target | measured | verdict |")
                .AppendLine("|---|---|---|")
                .AppendLine(throughput.OverheadVerdict)
                .AppendLine(throughput.ThroughputVerdict)
                .AppendLine(neighbour.Verdict);
        }
        finally
        {
            await Platform.RemoveLimitsAsync(operatorToken, DemoDirectory.ContosoTenantId);
            await Platform.RemoveLimitsAsync(operatorToken, DemoDirectory.FabrikamTenantId);
        }

        return new ScenarioReport("Sandboxed scripts (run_script)", markdown.ToString());
    }

    // 1. whoami vs run_script (vs the bare echo) at 1, 16 and 64 callers.
    private static async Task<(string Markdown, string OverheadVerdict, string ThroughputVerdict)> MeasureCallsAsync(
        BenchmarkOptions options, Uri endpoint, string contoso, string fabrikam, byte[] simple, ServerProcess bare)
    {
        using var bareLoad = new McpLoad(bare.Endpoint, null);
        using var whoami = new McpLoad(endpoint, contoso);
        using var script = new McpLoad(endpoint, contoso, simple);
        using var scriptFabrikam = new McpLoad(endpoint, fabrikam, simple);
        Variant[] variants =
        [
            new("bare echo", 1, async (c, s) => Single(await bareLoad.RunAsync(c, s))),
            new("whoami", 1, async (c, s) => Single(await whoami.RunAsync(c, s))),
            new("run_script", 1, async (c, s) => Single(await script.RunAsync(c, s))),
            new("run_script, 2 tenants", 16, async (c, s) =>
            {
                var results = await Task.WhenAll(script.RunAsync(c / 2, s), scriptFabrikam.RunAsync(c - (c / 2), s));
                var merged = Samples.Merge(results.Select(r => r.Samples));
                return (new Round(merged.PercentileMs(50), merged.PercentileMs(99), results.Sum(r => r.Samples.Throughput), results.Sum(r => r.Denied), results.Sum(r => r.Failed)), merged);
            }),
        ];

        foreach (var variant in variants)
        {
            Console.WriteLine($"{variant.Name}: warm-up {options.WarmupSeconds} s…");
            await variant.Run(16, options.WarmupSeconds);
        }

        var rows = new List<string>();
        var results = new Dictionary<(string, int), List<Round>>();
        foreach (var concurrency in Concurrencies)
        {
            for (var round = 0; round < options.Rounds; round++)
            {
                foreach (var variant in variants.Where(v => concurrency >= v.MinConcurrency))
                {
                    var firstId = LatestWorkerId();
                    var (result, _) = await variant.Run(concurrency, options.Seconds);
                    result = result with { WorkerStarts = LatestWorkerId() - firstId };
                    Console.WriteLine($"  {variant.Name} c={concurrency} round {round + 1}: p50 {result.P50:0.000} ms, p99 {result.P99:0.000} ms, {result.Throughput:0} calls/s, isError {result.Errors}, failed {result.Failed}, worker starts {result.WorkerStarts}");
                    (results.TryGetValue((variant.Name, concurrency), out var list) ? list : results[(variant.Name, concurrency)] = []).Add(result);
                }
            }

            foreach (var variant in variants.Where(v => concurrency >= v.MinConcurrency))
            {
                var rounds = results[(variant.Name, concurrency)];
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {variant.Name} | {concurrency} | {RoundStats.Stat(rounds, r => r.P50, "0.000")} | {RoundStats.Stat(rounds, r => r.P99, "0.000")} | {RoundStats.Stat(rounds, r => r.Throughput, "0")} | {rounds.Sum(r => r.Errors)} | {rounds.Sum(r => r.Failed)} | {(variant.Name.StartsWith("run_script", StringComparison.Ordinal) ? rounds.Sum(r => r.WorkerStarts).ToString(CultureInfo.InvariantCulture) : "—")} |"));
            }
        }

        // Overhead per round (the variants ran back to back in each round), then the median of rounds.
        var overheads = results[("run_script", 1)].Zip(results[("whoami", 1)], (s, w) => s.P50 - w.P50).ToList();
        var overhead = RoundStats.Stat(overheads, o => o, "0.000");
        var medianOverhead = overheads.Order().ElementAt(overheads.Count / 2);
        var scriptP50 = Median(results[("run_script", 1)], r => r.P50);
        var whoamiP50 = Median(results[("whoami", 1)], r => r.P50);
        var at64 = Median(results[("run_script", 64)], r => r.Throughput);
        var at16 = Median(results[("run_script", 16)], r => r.Throughput);
        var twoTenants64 = Median(results[("run_script, 2 tenants", 64)], r => r.Throughput);
        var best = Math.Max(Math.Max(at64, at16), twoTenants64);
        var whoami64 = Median(results[("whoami", 64)], r => r.Throughput);
        var scriptErrors = results.Where(p => p.Key.Item1.StartsWith("run_script", StringComparison.Ordinal)).Sum(p => p.Value.Sum(r => r.Errors + r.Failed));

        var markdown = new StringBuilder()
            .AppendLine("### Call cost and throughput")
            .AppendLine()
            .AppendLine("| variant | concurrent | p50 ms | p99 ms | calls/s | isError | failed | worker starts (all rounds) |")
            .AppendLine("|---|---|---|---|---|---|---|---|");
        rows.ForEach(row => markdown.AppendLine(row));
        markdown.AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"- Sandbox overhead, serial: `run_script` p50 − `whoami` p50 per round = **{overhead} ms** (medians {scriptP50:0.000} − {whoamiP50:0.000} ms)."))
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"- 64 callers of one tenant share its 4 workers: the other 60 wait in the pool's queue, so p50 at 64 is mostly queueing. `run_script` at 64: {at64:0} calls/s (whoami {whoami64:0}, {at64 / whoami64:0.00}×); two tenants (32 + 32, up to 8 workers): {twoTenants64:0} calls/s. run_script errors or failures in all rounds: {scriptErrors}."));
        var overheadVerdict = string.Create(CultureInfo.InvariantCulture,
            $"| warm worker adds ≤ {OverheadTargetMs:0} ms p50 (serial) | {overhead} ms (run_script {scriptP50:0.000} ms − whoami {whoamiP50:0.000} ms) | {(medianOverhead <= OverheadTargetMs ? "met" : "**not met**")} |");
        var throughputVerdict = string.Create(CultureInfo.InvariantCulture,
            $"| ≥ {ThroughputTarget:0} calls/s on 2 cores | run_script, one tenant: {at16:0} at 16, {at64:0} at 64; two tenants at 64: {twoTenants64:0} (medians of rounds) | {(at64 >= ThroughputTarget ? "met" : best >= ThroughputTarget ? "met only at 16 callers or with two tenants" : "**not met**")} |");
        return (markdown.ToString(), overheadVerdict, throughputVerdict);
    }

    // 2. fabrikam at 4 callers, solo and while contoso's 4 callers loop and bomb memory.
    private static async Task<(string Markdown, string Verdict)> MeasureNeighbourAsync(BenchmarkOptions options, Uri endpoint, string contoso, string fabrikam, byte[] simple)
    {
        using var neighbour = new McpLoad(endpoint, fabrikam, simple);
        Console.WriteLine($"Neighbour: warm-up {options.WarmupSeconds} s…");
        await neighbour.RunAsync(NeighbourCallers, options.WarmupSeconds);
        var rows = new List<string>();
        var solos = new List<Samples>();
        var shareds = new List<Samples>();
        var ratios = new List<double>();
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        var errors = 0;
        for (var round = 0; round < options.Rounds; round++)
        {
            var solo = await neighbour.RunAsync(NeighbourCallers, options.Seconds);
            var hostile = HostileAsync(endpoint, contoso, options.Seconds + HostileLeadSeconds);
            await Task.Delay(TimeSpan.FromSeconds(HostileLeadSeconds));
            var shared = await neighbour.RunAsync(NeighbourCallers, options.Seconds);
            var outcomes = await hostile;
            foreach (var (code, count) in outcomes)
            {
                codes[code] = codes.GetValueOrDefault(code) + count;
            }

            solos.Add(solo.Samples);
            shareds.Add(shared.Samples);
            var ratio = shared.Samples.PercentileMs(99) / solo.Samples.PercentileMs(99);
            ratios.Add(ratio);
            var roundErrors = solo.Denied + solo.Failed + shared.Denied + shared.Failed;
            errors += roundErrors;
            var described = Describe(outcomes);
            Console.WriteLine($"  neighbour round {round + 1}: solo p50 {solo.Samples.PercentileMs(50):0.000} p99 {solo.Samples.PercentileMs(99):0.000}; hostile p50 {shared.Samples.PercentileMs(50):0.000} p99 {shared.Samples.PercentileMs(99):0.000} (×{ratio:0.00}); errors {roundErrors}; contoso {described}");
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {round + 1} | {solo.Samples.PercentileMs(50):0.000} | {solo.Samples.PercentileMs(99):0.000} | {solo.Samples.Throughput:0} | {shared.Samples.PercentileMs(50):0.000} | {shared.Samples.PercentileMs(99):0.000} | {shared.Samples.Throughput:0} | {ratio:0.00} | {roundErrors} | {described} |"));
        }

        var allSolo = Samples.Merge(solos);
        var allShared = Samples.Merge(shareds);
        var pooledRatio = allShared.PercentileMs(99) / allSolo.PercentileMs(99);
        var medianRatio = ratios.Order().ElementAt(ratios.Count / 2);
        var markdown = new StringBuilder()
            .AppendLine("### A hostile neighbour")
            .AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"fabrikam's agent calls `run_script` `{Simple}` with {NeighbourCallers} closed-loop callers (its worker cap), alone and then while contoso's agent keeps {HostileCallers} callers (its worker cap) each alternating `{Loop}` with `timeoutSeconds` 1 and the memory bomb `{MemoryBomb}` (from this driver process; the calls cost the server, not the client). Errors = fabrikam's isError results and failed requests."))
            .AppendLine()
            .AppendLine("| round | solo p50 ms | solo p99 ms | solo calls/s | hostile p50 ms | hostile p99 ms | hostile calls/s | p99 ratio | fabrikam errors | contoso's calls by outcome |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        rows.ForEach(row => markdown.AppendLine(row));
        markdown.AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"- All rounds pooled ({allSolo.Count} solo calls, {allShared.Count} beside the hostile tenant): fabrikam p50 {allSolo.PercentileMs(50):0.000} → {allShared.PercentileMs(50):0.000} ms, p99 {allSolo.PercentileMs(99):0.000} → {allShared.PercentileMs(99):0.000} ms, **p99 ratio {pooledRatio:0.00}**; median of the rounds' ratios {medianRatio:0.00}; fabrikam errors {errors}."))
            .AppendLine($"- contoso's hostile calls, all rounds: {Describe(codes)}.");
        var verdict = string.Create(CultureInfo.InvariantCulture,
            $"| hostile tenant at its cap: other tenant's p99 ≤ {NeighbourTargetRatio:0.0}× solo, 0 errors | pooled p99 {allSolo.PercentileMs(99):0.000} → {allShared.PercentileMs(99):0.000} ms = {pooledRatio:0.00}× (median of rounds {medianRatio:0.00}×), {errors} errors | {(pooledRatio <= NeighbourTargetRatio && errors == 0 ? "met" : "**not met**")} |");
        return (markdown.ToString(), verdict);
    }

    // 3. Cold start, idle memory, recovery after a killed worker.
    private static async Task<string> MeasureLifecycleAsync(BenchmarkOptions options, Uri endpoint, string contoso, byte[] simple)
    {
        Console.WriteLine("Lifecycle: waiting for the pool to be idle…");
        await WaitIdleAsync();
        var idle = Workers().Select(pid => (Pid: pid, Rss: RssBytes(pid))).Where(w => w.Rss > 0).ToList();
        // Read now: the crash rounds below replace some of these workers.
        var idleGroups = CpuGroups(idle.Select(w => w.Pid));
        var launch = HostLaunch(idle.Select(w => w.Pid))
            ?? throw new InvalidOperationException("No running worker's bubblewrap command line found (is tools-workspace running its workers under bubblewrap?).");

        var bwrapStarts = new List<(double ReadyMs, double CpuMs, long Rss)>();
        var processStarts = new List<(double ReadyMs, double CpuMs, long Rss)>();
        for (var i = 0; i < ColdStarts; i++)
        {
            bwrapStarts.Add(await ColdStartAsync(launch.Bubblewrap(string.Create(CultureInfo.InvariantCulture, $"bench-b{i}"))));
            processStarts.Add(await ColdStartAsync(launch.Plain(string.Create(CultureInfo.InvariantCulture, $"bench-p{i}"))));
        }

        Console.WriteLine($"  cold start bubblewrap median {Median(bwrapStarts, s => s.ReadyMs):0.0} ms ({Median(bwrapStarts, s => s.CpuMs):0} ms CPU), plain {Median(processStarts, s => s.ReadyMs):0.0} ms");

        var crashes = new List<string>();
        var nextCall = new List<double>();
        var crashedCall = new List<double>();
        var refill = new List<double>();
        for (var round = 0; round < options.Rounds; round++)
        {
            var crash = await CrashAsync(endpoint, contoso, simple);
            Console.WriteLine($"  crash round {round + 1}: {crash.Description}");
            crashes.Add(crash.Description);
            if (crash.NextCallMs is { } next)
            {
                nextCall.Add(next);
            }

            if (crash.CrashedCallMs is { } crashed)
            {
                crashedCall.Add(crashed);
            }

            if (crash.RefillMs is { } back)
            {
                refill.Add(back);
            }

            await WaitIdleAsync();
        }

        static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
        static string Stat(IReadOnlyCollection<double> values, string format) => values.Count == 0 ? "—" : RoundStats.Stat(values, v => v, format);
        return new StringBuilder()
            .AppendLine("### Worker lifecycle")
            .AppendLine()
            .AppendLine("| measure | value | how |")
            .AppendLine("|---|---|---|")
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| cold start, bubblewrap (process start → `ready` line) | {Stat(bwrapStarts.Select(s => s.ReadyMs).ToList(), "0.0")} ms | {ColdStarts} starts of the command line tools-workspace ran for a live worker (read from /proc: bubblewrap and its arguments, a new worker id), minus the /bin/sh step that enters the worker's cgroups and sets rlimits; platform idle; median (min–max) |"))
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| cold start, plain process | {Stat(processStarts.Select(s => s.ReadyMs).ToList(), "0.0")} ms | the same worker and `DOTNET_*` settings without bubblewrap (the degraded mode), alternating with the above |"))
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| CPU time of a worker start (user + system of the worker process up to `ready`) | {Stat(bwrapStarts.Select(s => s.CpuMs).ToList(), "0")} ms bubblewrap, {Stat(processStarts.Select(s => s.CpuMs).ToList(), "0")} ms plain | /proc/<pid>/stat at `ready` (10 ms ticks); the pool pays this once per worker, i.e. every `InvocationsPerWorker` (10,000) calls of a tenant, and for every worker killed by a timeout, memory limit or crash |"))
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| VmRSS of a fresh worker (ready, no script run) | {Stat(bwrapStarts.Select(s => s.Rss / 1024.0 / 1024.0).ToList(), "0.0")} MiB | the bubblewrap starts above, 0.5 s after `ready` |"))
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| VmRSS of the pool's idle workers | {(idle.Count == 0 ? "—" : RoundStats.Stat(idle, w => w.Rss / 1024.0 / 1024.0, "0.0"))} MiB each, {Mib(idle.Sum(w => w.Rss))} MiB for {idle.Count} | every `dotnet …{WorkerAssembly} --worker` below tools-workspace after the load above, no call running (2 warm, the rest tenants' idle workers that have run scripts) |"))
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| cpu cgroup of the pool's idle workers | {idleGroups} | `/proc/<pid>/cgroup`, the `cpu` controller's path, same workers at the same moment as above |"))
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| killed worker: its call answers | {Stat(crashedCall, "0")} ms after the kill | `kill -9` of a contoso worker during `{Loop}` (the worker whose CPU time grows); {options.Rounds} rounds |"))
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| killed worker: contoso's next `{Simple}` succeeds | {Stat(nextCall, "0")} ms after the kill | started right after the kill, retried until it succeeds |"))
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| killed worker: as many worker processes as before | {Stat(refill, "0")} ms after the kill ({refill.Count} of {options.Rounds} rounds within 4 s) | worker processes polled every 20 ms; a process counts from its start, so a replacement is ready about a cold start later |"))
            .AppendLine()
            .AppendLine("Rounds: " + string.Join("; ", crashes.Select((c, i) => $"{i + 1}: {c}")) + ".")
            .ToString();
    }

    private sealed record CrashResult(string Description, double? CrashedCallMs, double? NextCallMs, double? RefillMs);

    private static async Task<CrashResult> CrashAsync(Uri endpoint, string contoso, byte[] simple)
    {
        var looping = AnsweredAtAsync(endpoint, contoso, McpLoad.Body("run_script", new { script = Loop, timeoutSeconds = 5 }));
        // The looping worker is the one whose CPU time grows.
        int? victim = null;
        for (var attempt = 0; attempt < 20 && victim is null; attempt++)
        {
            var before = Workers().ToDictionary(pid => pid, CpuTicks);
            await Task.Delay(150);
            var grown = before.Select(pair => (Pid: pair.Key, Ticks: CpuTicks(pair.Key) - pair.Value)).OrderByDescending(w => w.Ticks).FirstOrDefault();
            if (grown.Ticks >= 5)
            {
                victim = grown.Pid;
            }
        }

        if (victim is not { } pid)
        {
            var (code, _) = await looping;
            return new CrashResult($"no looping worker found (the loop call answered {code})", null, null, null);
        }

        // Let a refill started by taking a warm worker land before counting.
        var countBefore = await StableCountAsync();
        var killed = Stopwatch.GetTimestamp();
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill();
        }

        var poll = Task.Run(async () =>
        {
            var dipped = false;
            while (Stopwatch.GetElapsedTime(killed) < TimeSpan.FromSeconds(4))
            {
                var count = Workers().Count;
                dipped |= count < countBefore;
                if (dipped && count >= countBefore)
                {
                    return (double?)Stopwatch.GetElapsedTime(killed).TotalMilliseconds;
                }

                await Task.Delay(20);
            }

            return null;
        });
        var attempts = 0;
        double? nextMs = null;
        var nextCodes = new List<string>();
        while (Stopwatch.GetElapsedTime(killed) < TimeSpan.FromSeconds(10))
        {
            attempts++;
            var (code, _) = await CallAsync(endpoint, contoso, simple);
            if (code == "ok")
            {
                nextMs = Stopwatch.GetElapsedTime(killed).TotalMilliseconds;
                break;
            }

            nextCodes.Add(code);
        }

        var (loopCode, answered) = await looping;
        var crashedMs = (answered - killed) * 1000.0 / Stopwatch.Frequency;
        var refillMs = await poll;
        var description = string.Create(CultureInfo.InvariantCulture,
            $"loop call answered `{loopCode}` {crashedMs:0} ms after the kill, next call ok after {nextMs?.ToString("0", CultureInfo.InvariantCulture) ?? "—"} ms ({attempts} attempt{(attempts == 1 ? string.Empty : "s")}{(nextCodes.Count > 0 ? ", before: " + string.Join(", ", nextCodes.Distinct()) : string.Empty)}), {countBefore} worker processes before the kill, back to {countBefore} after {refillMs?.ToString("0", CultureInfo.InvariantCulture) ?? "— (not within 4 s)"} ms");
        return new CrashResult(description, loopCode == "tool.crashed" ? crashedMs : null, nextMs, refillMs);
    }

    private static async Task<(string Code, long AnsweredAt)> AnsweredAtAsync(Uri endpoint, string token, byte[] body)
    {
        var (code, _) = await CallAsync(endpoint, token, body);
        return (code, Stopwatch.GetTimestamp());
    }

    private static async Task<int> StableCountAsync()
    {
        var last = Workers().Count;
        var stableSince = Stopwatch.GetTimestamp();
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(stableSince) < TimeSpan.FromMilliseconds(300) && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(2))
        {
            await Task.Delay(20);
            var count = Workers().Count;
            if (count != last)
            {
                last = count;
                stableSince = Stopwatch.GetTimestamp();
            }
        }

        return last;
    }

    // Waits until no worker uses CPU (hostile calls ended, refills done), at most 15 s.
    private static async Task WaitIdleAsync()
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(15))
        {
            var before = Workers().ToDictionary(pid => pid, CpuTicks);
            await Task.Delay(500);
            var after = Workers();
            if (after.Count == before.Count && after.All(pid => before.TryGetValue(pid, out var ticks) && CpuTicks(pid) - ticks <= 2))
            {
                return;
            }
        }
    }

    // contoso's hostile callers: each alternates an endless loop and a memory bomb until the time is up.
    private static async Task<Dictionary<string, int>> HostileAsync(Uri endpoint, string token, double seconds)
    {
        var loop = McpLoad.Body("run_script", new { script = Loop, timeoutSeconds = 1 });
        var bomb = McpLoad.Body("run_script", new { script = MemoryBomb });
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var perCaller = await Task.WhenAll(Enumerable.Range(0, HostileCallers).Select(caller => Task.Run(async () =>
        {
            var codes = new List<string>();
            for (var i = caller; Stopwatch.GetTimestamp() < deadline; i++)
            {
                codes.Add((await CallAsync(endpoint, token, i % 2 == 0 ? loop : bomb)).Code);
            }

            return codes;
        })));
        return perCaller.SelectMany(codes => codes).GroupBy(code => code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    /// <summary>One tools/call; its outcome: <c>ok</c>, the tool error's code, or what went wrong with the request.</summary>
    private static async Task<(string Code, double Ms)> CallAsync(Uri endpoint, string token, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await s_http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return (response.IsSuccessStatusCode ? Outcome(text) : $"http {(int)response.StatusCode}", ms);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return ("request failed", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private static string Outcome(string text)
    {
        // Streamable HTTP answers either JSON or one SSE event whose data is the JSON-RPC response.
        var json = text.TrimStart().StartsWith('{') ? text
            : string.Join('\n', text.Split('\n').Where(line => line.StartsWith("data:", StringComparison.Ordinal)).Select(line => line[5..]));
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("result", out var result))
            {
                return "json-rpc error";
            }

            if (!result.TryGetProperty("isError", out var isError) || !isError.GetBoolean())
            {
                return "ok";
            }

            return result.TryGetProperty("structuredContent", out var structured) && structured.TryGetProperty("error", out var error)
                && error.TryGetProperty("code", out var code) && code.GetString() is { } value ? value : "isError without code";
        }
        catch (JsonException)
        {
            return "unreadable answer";
        }
    }

    private static string Describe(Dictionary<string, int> codes) =>
        codes.Count == 0 ? "none" : string.Join(", ", codes.OrderByDescending(p => p.Value).Select(p => string.Create(CultureInfo.InvariantCulture, $"`{p.Key}` {p.Value}")));

    private static double Median<T>(IEnumerable<T> values, Func<T, double> value) => values.Select(value).Order().ElementAt(values.Count() / 2);

    private static async Task EnsureHealthyAsync(params PlatformService[] services)
    {
        foreach (var service in services)
        {
            try
            {
                using var response = await s_http.GetAsync(new Uri(service.LocalUrl, HealthEndpoints.Health));
                response.EnsureSuccessStatusCode();
            }
            catch (HttpRequestException exception)
            {
                throw new InvalidOperationException($"{service.ResourceName} is not healthy at {service.LocalUrl}: start the platform with eng/run.sh first.", exception);
            }
        }
    }

    private static (Round, Samples) Single(McpLoad.Result result) =>
        (new Round(result.Samples.PercentileMs(50), result.Samples.PercentileMs(99), result.Samples.Throughput, result.Denied, result.Failed), result.Samples);

    // --- /proc ---

    private static Dictionary<int, (int Parent, string[] Arguments)> Processes()
    {
        var processes = new Dictionary<int, (int, string[])>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 3)[1], CultureInfo.InvariantCulture);
                var arguments = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                processes[pid] = (parent, arguments);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // Gone meanwhile.
            }
        }

        return processes;
    }

    private static bool IsWorker(string[] arguments) =>
        arguments.Length >= 3 && Path.GetFileName(arguments[0]) == "dotnet" && Path.GetFileName(arguments[1]) == WorkerAssembly && arguments[2] == "--worker";

    /// <summary>Worker processes (the dotnet process, not its bubblewrap parents) below the running tools-workspace.</summary>
    private static List<int> Workers()
    {
        var processes = Processes();
        return processes.Where(p => IsWorker(p.Value.Arguments) && BelowToolsWorkspace(processes, p.Key)).Select(p => p.Key).ToList();
    }

    private static bool BelowToolsWorkspace(Dictionary<int, (int Parent, string[] Arguments)> processes, int pid)
    {
        for (var depth = 0; depth < 10 && processes.TryGetValue(pid, out var process); depth++)
        {
            if (process.Arguments.Any(a => a.Contains("McpPlatform.ToolsWorkspace", StringComparison.Ordinal)))
            {
                return true;
            }

            pid = process.Parent;
        }

        return false;
    }

    /// <summary>How many of the workers are in each cpu cgroup (the <c>cpu</c> controller's path in /proc/&lt;pid&gt;/cgroup).</summary>
    private static string CpuGroups(IEnumerable<int> pids)
    {
        var groups = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var pid in pids)
        {
            string group;
            try
            {
                var line = File.ReadLines($"/proc/{pid}/cgroup").Select(l => l.Split(':', 3))
                    .FirstOrDefault(f => f.Length == 3 && f[1].Split(',').Contains("cpu"));
                group = line is null ? "no cpu controller" : "`" + line[2] + "`";
            }
            catch (IOException)
            {
                continue;
            }

            groups[group] = groups.GetValueOrDefault(group) + 1;
        }

        return groups.Count == 0 ? "—" : string.Join(", ", groups.Select(g => $"{g.Key} × {g.Value}"));
    }

    private static long CpuTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    private static long RssBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception exception) when (exception is IOException or FormatException)
        {
            return 0;
        }
    }

    /// <summary>The highest worker number (<c>--worker wN</c>) of the live workers: the pool numbers workers in start order.</summary>
    private static int LatestWorkerId()
    {
        var processes = Processes();
        return processes.Where(p => IsWorker(p.Value.Arguments) && p.Value.Arguments.Length >= 4 && BelowToolsWorkspace(processes, p.Key))
            .Select(p => int.TryParse(p.Value.Arguments[3].TrimStart('w'), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .DefaultIfEmpty(0).Max();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    // --- cold start ---

    /// <summary>How tools-workspace starts a worker, read from a live worker's outermost bubblewrap ancestor.</summary>
    private sealed record WorkerLaunch(string[] BubblewrapCommand, string Dotnet, string WorkerFolder, IReadOnlyList<(string Name, string Value)> Settings)
    {
        public ProcessStartInfo Bubblewrap(string id)
        {
            var start = Empty(BubblewrapCommand[0]);
            foreach (var argument in BubblewrapCommand.Skip(1).SkipLast(1))
            {
                start.ArgumentList.Add(argument);
            }

            start.ArgumentList.Add(id);
            return start;
        }

        public ProcessStartInfo Plain(string id)
        {
            var start = Empty(Dotnet);
            start.WorkingDirectory = WorkerFolder;
            foreach (var (name, value) in Settings)
            {
                start.Environment[name] = value;
            }

            foreach (var argument in new[] { Path.Combine(WorkerFolder, WorkerAssembly), "--worker", id })
            {
                start.ArgumentList.Add(argument);
            }

            return start;
        }

        private static ProcessStartInfo Empty(string file)
        {
            var start = new ProcessStartInfo(file)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment.Clear();
            return start;
        }
    }

    private static WorkerLaunch? HostLaunch(IEnumerable<int> workers)
    {
        var processes = Processes();
        foreach (var worker in workers)
        {
            string[]? outermost = null;
            var pid = worker;
            for (var depth = 0; depth < 6 && processes.TryGetValue(pid, out var process); depth++)
            {
                pid = process.Parent;
                if (processes.TryGetValue(pid, out var parent) && parent.Arguments.Length > 0 && Path.GetFileName(parent.Arguments[0]) == "bwrap")
                {
                    outermost = parent.Arguments;
                }
            }

            var separator = outermost is null ? -1 : Array.IndexOf(outermost, "--");
            if (outermost is null || separator < 0 || outermost.Length < separator + 5)
            {
                continue;
            }

            var settings = new List<(string, string)>();
            string? folder = null;
            for (var i = 1; i < separator; i++)
            {
                if (outermost[i] == "--setenv" && i + 2 < separator)
                {
                    settings.Add((outermost[i + 1], outermost[i + 2]));
                    i += 2;
                }
                else if (outermost[i] == "--ro-bind" && i + 2 < separator && outermost[i + 2] == "/toolworker")
                {
                    folder = outermost[i + 1];
                    i += 2;
                }
            }

            if (folder is not null)
            {
                return new WorkerLaunch(outermost, outermost[separator + 1], folder, settings);
            }
        }

        return null;
    }

    private static async Task<(double ReadyMs, double CpuMs, long Rss)> ColdStartAsync(ProcessStartInfo start)
    {
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            var ready = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (line is null || !line.Contains("\"ready\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The worker did not say ready: '{line}' (exit {(process.HasExited ? process.ExitCode : "none yet")}).");
            }

            var id = start.ArgumentList[^1];
            var pid = Processes().FirstOrDefault(p => IsWorker(p.Value.Arguments) && p.Value.Arguments[^1] == id).Key;
            // CPU (user + system) the worker used up to ready, in clock ticks of 10 ms.
            var cpu = pid == 0 ? double.NaN : CpuTicks(pid) * 1000.0 / s_ticksPerSecond;
            await Task.Delay(500);
            return (ready, cpu, pid == 0 ? 0 : RssBytes(pid));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
