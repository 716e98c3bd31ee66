using System.Globalization;
using System.Text;
using McpPlatform.Core;

namespace McpPlatform.Benchmarks;

/// <summary>
/// The cost of both pipelines on a tools/call: the same server (<c>auth</c> variant: token
/// validation, tenant context, the real whoami tool) with the OpenTelemetry SDK off
/// (<c>OTEL_SDK_DISABLED=true</c>, no audit) and on: the platform pipeline as every service runs it
/// (metrics and logs of every call, traces head-sampled by the default budget, through the
/// tenant-free processors, views and redaction, exported over OTLP/HTTP to the running
/// collector-platform), then with the tenant pipeline too (an audit record per call through the
/// spool to the running collector-tenant), then with every call traced. Target (docs/benchmarks.md):
/// ≤ 5% throughput loss with both pipelines on.
/// </summary>
public sealed class TelemetryOverheadScenario : IScenario
{
    private const string Off = "off";
    private const string Both = "platform + audit";
    private static readonly int[] Concurrencies = [1, 64];

    public async Task<ScenarioReport> RunAsync(BenchmarkOptions options)
    {
        await Platform.EnsureRunningAsync();
        var token = Platform.Token("contoso-agent");
        EndToEndHelpers.PinDriver();
        var platform = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = PlatformServices.CollectorPlatform.LocalOrigin,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "bench-telemetry-on",
        };
        var variants = new (string Name, Dictionary<string, string> Environment)[]
        {
            (Off, new() { ["OTEL_SDK_DISABLED"] = "true" }),
            ("platform", new(platform)),
            (Both, new(platform)),
            ("platform, every call traced + audit", new(platform)
            {
                ["Telemetry__Traces__MaxPerSecond"] = "1000000000",
            }),
        };

        var rows = new List<string>();
        var throughput = new Dictionary<(string, int), double>();
        var cpuPerCall = new Dictionary<(string, int), double>();
        // Alternate the variants per round so drift on the shared machine hits all alike.
        var servers = new Dictionary<string, ServerProcess>();
        try
        {
            foreach (var (name, environment) in variants)
            {
                servers[name] = await ServerProcess.StartAsync("remote", environment);
            }

            var loads = servers.ToDictionary(s => s.Key, s => new McpLoad(s.Value.Endpoint, token));
            // Long enough that tiered compilation has finished: a server with telemetry on has a
            // third more methods to compile, and compiling them would count against it.
            var warmup = Math.Max(15, options.WarmupSeconds * 3);
            foreach (var (name, load) in loads)
            {
                Console.WriteLine($"{name}: warm-up {warmup} s…");
                await load.RunAsync(16, warmup);
            }

            foreach (var concurrency in Concurrencies)
            {
                var results = variants.ToDictionary(v => v.Name, _ => new List<(McpLoad.Result Load, double CpuMsPerCall)>());
                for (var round = 0; round < options.Rounds; round++)
                {
                    foreach (var (name, _) in variants)
                    {
                        var cpuBefore = servers[name].CpuTime;
                        var result = await loads[name].RunAsync(concurrency, options.Seconds);
                        var cpuMs = (servers[name].CpuTime - cpuBefore).TotalMilliseconds / Math.Max(1, result.Samples.Count);
                        Console.WriteLine($"  {name} c={concurrency} round {round + 1}: p50 {result.Samples.PercentileMs(50):0.000} ms, p99 {result.Samples.PercentileMs(99):0.000} ms, {result.Samples.Throughput:0} rps, server CPU {cpuMs:0.000} ms/call, failed {result.Failed}");
                        results[name].Add((result, cpuMs));
                    }
                }

                foreach (var (name, _) in variants)
                {
                    var rounds = results[name];
                    var loadRounds = rounds.Select(r => r.Load).ToList();
                    throughput[(name, concurrency)] = loadRounds.Select(r => r.Samples.Throughput).Order().ElementAt(rounds.Count / 2);
                    cpuPerCall[(name, concurrency)] = rounds.Select(r => r.CpuMsPerCall).Order().ElementAt(rounds.Count / 2);
                    rows.Add(string.Create(CultureInfo.InvariantCulture,
                        $"| {name} | {concurrency} | {RoundStats.Stat(loadRounds, r => r.Samples.PercentileMs(50), "0.000")} | {RoundStats.Stat(loadRounds, r => r.Samples.PercentileMs(99), "0.000")} | {RoundStats.Stat(loadRounds, r => r.Samples.Throughput, "0")} | {RoundStats.Stat(rounds, r => r.CpuMsPerCall, "0.000")} | {loadRounds.Sum(r => r.Denied)} | {loadRounds.Sum(r => r.Failed)} |"));
                }
            }

            foreach (var load in loads.Values)
            {
                load.Dispose();
            }
        }
        finally
        {
            foreach (var server in servers.Values)
            {
                await server.DisposeAsync();
            }
        }

        var markdown = new StringBuilder()
            .AppendLine("## Telemetry overhead (both pipelines on a tools/call)")
            .AppendLine()
            .AppendLine(EndToEndHelpers.Header(options, "every server child process pinned to CPU 0 (taskset, measured one at a time, the variants alternating per round), load driver pinned to CPU 1; the running platform (identity, collector-platform and collector-tenant receiving the servers' exports, PostgreSQL) unpinned on the same 2 cores"))
            .AppendLine("- What: MCP `tools/call whoami` with the platform's token validation and tenant context (`auth` variant of the admission benchmark), each server warmed up for at least 15 s first. `off` = `OTEL_SDK_DISABLED=true` and no audit (log redaction still on). `platform` = the platform pipeline as every service runs it: metrics and logs of every call, traces head-sampled by the default budget (`Telemetry:Traces:MaxPerSecond` = 20 new traces/s per process: every call while calls are few), through the allow-list processors, the metric view and erasing redaction, batch-exported over OTLP/HTTP protobuf to the running `collector-platform`. `platform + audit` adds the tenant pipeline: one audit record per call, spooled to disk and shipped to the running `collector-tenant` (PostgreSQL). `every call traced` lifts the trace budget. Server CPU = the server process's user + system time per call (/proc).")
            .AppendLine("- Target (docs/benchmarks.md, Targets): with both pipelines on, throughput ≥ 95% of `off`.")
            .AppendLine("- Command: `dotnet run -c Release --project AppHost` (the platform in Release) in one terminal, then `DOTNET_TC_CallCountingDelayMs=0 dotnet run -c Release --project benchmarks/McpPlatform.Benchmarks -- telemetry-overhead`.")
            .AppendLine()
            .AppendLine("| telemetry | concurrent | p50 ms | p99 ms | calls/s | server CPU ms/call | denied | failed |")
            .AppendLine("|---|---|---|---|---|---|---|---|");
        rows.ForEach(row => markdown.AppendLine(row));
        markdown.AppendLine();
        foreach (var concurrency in Concurrencies)
        {
            foreach (var (name, _) in variants.Skip(1))
            {
                var ratio = throughput[(name, concurrency)] / throughput[(Off, concurrency)];
                var cpu = cpuPerCall[(name, concurrency)] / cpuPerCall[(Off, concurrency)] - 1;
                var verdict = name == Both ? $", {(ratio >= 0.95 ? "within" : "outside")} the ≤5% target" : string.Empty;
                markdown.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"- {concurrency} concurrent, `{name}`: {ratio * 100:0.0}% of `off` throughput (median rounds){verdict}; server CPU per call {cpu * 100:+0;-0}%."));
            }
        }

        return new ScenarioReport("Telemetry overhead (both pipelines on a tools/call)", markdown.ToString());
    }
}
