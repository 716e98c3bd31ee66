using System.Globalization;
using System.Text;
using McpPlatform.Core;

namespace McpPlatform.Benchmarks;

/// <summary>
/// The platform pipeline's cost on a tools/call: the same server (<c>auth</c> variant: token
/// validation, tenant context, the real whoami tool) with the OpenTelemetry SDK off
/// (<c>OTEL_SDK_DISABLED=true</c>) and on (traces, metrics and logs through the tenant-free
/// processors, views and redaction, exported over OTLP/HTTP to the running collector-platform,
/// which checks, aggregates and forwards them). Target (PERFORMANCE.md): ≤ 5% throughput loss.
/// </summary>
public sealed class TelemetryOverheadScenario : IScenario
{
    private static readonly int[] Concurrencies = [1, 64];

    public async Task<ScenarioReport> RunAsync(BenchmarkOptions options)
    {
        await Platform.EnsureRunningAsync();
        var token = Platform.Token("contoso-agent");
        EndToEndHelpers.PinDriver();
        var variants = new (string Name, Dictionary<string, string> Environment)[]
        {
            ("off", new() { ["OTEL_SDK_DISABLED"] = "true" }),
            ("on", new()
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = PlatformServices.CollectorPlatform.LocalOrigin,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_SERVICE_NAME"] = "bench-telemetry-on",
            }),
        };

        var rows = new List<string>();
        var throughput = new Dictionary<(string, int), double>();
        // Alternate off/on per round so drift on the shared machine hits both alike.
        var servers = new Dictionary<string, ServerProcess>();
        try
        {
            foreach (var (name, environment) in variants)
            {
                servers[name] = await ServerProcess.StartAsync("auth", environment);
            }

            var loads = servers.ToDictionary(s => s.Key, s => new McpLoad(s.Value.Endpoint, token));
            foreach (var (name, load) in loads)
            {
                Console.WriteLine($"{name}: warm-up {options.WarmupSeconds} s…");
                await load.RunAsync(16, options.WarmupSeconds);
            }

            foreach (var concurrency in Concurrencies)
            {
                var results = variants.ToDictionary(v => v.Name, _ => new List<McpLoad.Result>());
                for (var round = 0; round < options.Rounds; round++)
                {
                    foreach (var (name, _) in variants)
                    {
                        var result = await loads[name].RunAsync(concurrency, options.Seconds);
                        Console.WriteLine($"  {name} c={concurrency} round {round + 1}: p50 {result.Samples.PercentileMs(50):0.000} ms, p99 {result.Samples.PercentileMs(99):0.000} ms, {result.Samples.Throughput:0} rps, failed {result.Failed}");
                        results[name].Add(result);
                    }
                }

                foreach (var (name, _) in variants)
                {
                    var rounds = results[name];
                    throughput[(name, concurrency)] = rounds.Select(r => r.Samples.Throughput).Order().ElementAt(rounds.Count / 2);
                    rows.Add(string.Create(CultureInfo.InvariantCulture,
                        $"| {name} | {concurrency} | {RoundStats.Stat(rounds, r => r.Samples.PercentileMs(50), "0.000")} | {RoundStats.Stat(rounds, r => r.Samples.PercentileMs(99), "0.000")} | {RoundStats.Stat(rounds, r => r.Samples.Throughput, "0")} | {rounds.Sum(r => r.Denied)} | {rounds.Sum(r => r.Failed)} |"));
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
            .AppendLine("## Telemetry overhead (platform pipeline on a tools/call)")
            .AppendLine()
            .AppendLine(EndToEndHelpers.Header(options, "both server child processes pinned to CPU 0 (taskset, measured one at a time, off and on alternating per round), load driver pinned to CPU 1; the running platform (identity, collector-platform receiving the `on` server's exports) unpinned on the same 2 cores"))
            .AppendLine("- What: MCP `tools/call whoami` with the platform's token validation and tenant context (`auth` variant of the admission benchmark). `off` = `OTEL_SDK_DISABLED=true` (no OpenTelemetry at all; log redaction still on); `on` = the platform pipeline as every service runs it: ASP.NET Core, HttpClient, runtime and MCP SDK traces and metrics plus logs, through the allow-list processors, the metric view and erasing redaction, batch-exported over OTLP/HTTP protobuf to the running `collector-platform` (which re-checks, aggregates and forwards).")
            .AppendLine("- Target (PERFORMANCE.md): `on` throughput ≥ 95% of `off`.")
            .AppendLine("- Command: `dotnet run -c Release --project AppHost` (the platform in Release) in one terminal, then `DOTNET_TC_CallCountingDelayMs=0 dotnet run -c Release --project benchmarks/McpPlatform.Benchmarks -- telemetry-overhead`.")
            .AppendLine()
            .AppendLine("| telemetry | concurrent | p50 ms | p99 ms | calls/s | denied | failed |")
            .AppendLine("|---|---|---|---|---|---|---|");
        rows.ForEach(row => markdown.AppendLine(row));
        markdown.AppendLine();
        foreach (var concurrency in Concurrencies)
        {
            var ratio = throughput[("on", concurrency)] / throughput[("off", concurrency)];
            markdown.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"- {concurrency} concurrent: `on` = {ratio * 100:0.0}% of `off` throughput (median rounds), {(ratio >= 0.95 ? "within" : "outside")} the ≤5% target."));
        }

        return new ScenarioReport("Telemetry overhead (platform pipeline on a tools/call)", markdown.ToString());
    }
}
