using System.Globalization;
using System.Text;
using McpPlatform.Core;

namespace McpPlatform.Benchmarks;

/// <summary>
/// What making the audit record durable before the response costs a tool call: the platform
/// started by the benchmark with <c>Audit:Durability=Acknowledged</c> on every service with an
/// audit spool, then again with <c>Batched</c>, alternating; <c>tools/call whoami</c> on
/// tools-knowledge as contoso's agent (limits lifted), serial and at 8 and 64 concurrent, beside
/// the bare SDK echo measured in the same run.
/// </summary>
public sealed class DurabilityScenario : IScenario
{
    private const int DefaultWarmupSeconds = 30;
    private static readonly string[] Modes = ["Acknowledged", "Batched"];
    private static readonly int[] Concurrencies = [1, 8, 64];

    // Every service with an audit spool (the AppHost's WithAuditSpool).
    private static readonly string[] SpoolingServices =
    [
        PlatformServices.Identity.ResourceName, PlatformServices.ToolsKnowledge.ResourceName,
        PlatformServices.ToolsWorkspace.ResourceName, PlatformServices.Secrets.ResourceName,
    ];

    private sealed record Measurement(string Variant, int Alternation, IReadOnlyDictionary<int, Samples> ByConcurrency, int NotOk);

    public async Task<ScenarioReport> RunAsync(BenchmarkOptions options)
    {
        var warmup = options.WarmupGiven ? options.WarmupSeconds : DefaultWarmupSeconds;
        var measurements = new List<Measurement>();
        for (var alternation = 1; alternation <= options.Rounds; alternation++)
        {
            foreach (var mode in Modes.Where(mode => options.Only.Count == 0 || options.Only.Contains(mode)))
            {
                measurements.Add(await MeasurePlatformAsync(mode, alternation, warmup, options.Seconds));
            }

            measurements.Add(await MeasureBareAsync(alternation, warmup, options.Seconds));
        }

        var markdown = new StringBuilder()
            .AppendLine("## Audit durability (Acknowledged vs Batched)")
            .AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; commit `{Machine.Commit()}`; machine: {Machine.Describe()}."))
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"- Alternations: {options.Rounds} (each: Acknowledged, Batched, bare); one row per alternation and variant, percentiles from every sample of its {options.Seconds} s window."))
            .AppendLine("- Tiering: the platform's services with default tiering (as the AppHost runs them; hence the warm-up), the bare echo with `DOTNET_TC_CallCountingDelayMs=0`. Pinning: none for the platform and the load driver (the platform is the benchmark's child: pinning the driver would pin it too); the bare echo server on CPU 0 (taskset).")
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"- What: the platform started by this benchmark as the AppHost runs it (local infrastructure, fresh data folder, Release build, dashboard off), with `Audit__Durability` set on {string.Join(", ", SpoolingServices.Select(s => $"`{s}`"))}; `tools/call whoami` on its `tools-knowledge` as contoso's agent (limits lifted through the operator API), keep-alive, closed loop, {options.Seconds} s per concurrency after a {warmup} s warm-up at 8. Each alternation starts the platform fresh per mode, then measures the bare SDK echo (`bare`, no auth, the baseline) with nothing else running. Ratios are to the same alternation's bare echo: p50 as a multiple, calls/s at 64 as a fraction."))
            .AppendLine("- Command: `flock /tmp/apphost.lock dotnet run -c Release --project benchmarks/McpPlatform.Benchmarks -- durability --rounds 2` (no other platform running: it uses the fixed ports).")
            .AppendLine()
            .AppendLine("| durability | alternation | serial p50 ms | serial p99 ms | calls/s @8 | calls/s @64 | p99 @64 ms | p50 × bare | calls/s @64 ÷ bare | denied or failed |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var m in measurements.OrderBy(m => m.Variant == "bare" ? 2 : Array.IndexOf(Modes, m.Variant)).ThenBy(m => m.Alternation))
        {
            var bare = measurements.Single(b => b.Variant == "bare" && b.Alternation == m.Alternation).ByConcurrency;
            markdown.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {m.Variant} | {m.Alternation} | {m.ByConcurrency[1].PercentileMs(50):0.000} | {m.ByConcurrency[1].PercentileMs(99):0.000} | {m.ByConcurrency[8].Throughput:0} | {m.ByConcurrency[64].Throughput:0} | {m.ByConcurrency[64].PercentileMs(99):0.0} | {m.ByConcurrency[1].PercentileMs(50) / bare[1].PercentileMs(50):0.0} | {m.ByConcurrency[64].Throughput / bare[64].Throughput:0.00} | {m.NotOk} |"));
        }

        return new ScenarioReport("Audit durability (Acknowledged vs Batched)", markdown.ToString());
    }

    private static async Task<Measurement> MeasurePlatformAsync(string mode, int alternation, int warmup, int seconds)
    {
        Console.WriteLine($"Alternation {alternation}: starting the platform with Audit__Durability={mode}…");
        var environment = SpoolingServices.ToDictionary(
            service => service, IReadOnlyDictionary<string, string> (_) => new Dictionary<string, string> { ["Audit__Durability"] = mode });
        await using var platform = await LocalPlatform.StartAsync(environment);
        var operatorToken = Platform.Token("operator", PlatformServices.Quota.LocalOrigin);
        await Platform.SetLimitsAsync(operatorToken, DemoDirectory.ContosoTenantId, Platform.Unbounded());
        using var load = new McpLoad(new Uri(PlatformServices.ToolsKnowledge.LocalMcpResource), Platform.Token("contoso-agent"));
        var (samples, notOk) = await MeasureAsync(mode, load, warmup, seconds);
        return new Measurement(mode, alternation, samples, notOk);
    }

    private static async Task<Measurement> MeasureBareAsync(int alternation, int warmup, int seconds)
    {
        await using var server = await ServerProcess.StartAsync("bare");
        using var load = new McpLoad(server.Endpoint, bearer: null);
        var (samples, notOk) = await MeasureAsync("bare", load, warmup, seconds);
        return new Measurement("bare", alternation, samples, notOk);
    }

    private static async Task<(Dictionary<int, Samples> Samples, int NotOk)> MeasureAsync(string variant, McpLoad load, int warmup, int seconds)
    {
        Console.WriteLine($"{variant}: warm-up {warmup} s…");
        await load.RunAsync(8, warmup);
        var results = new Dictionary<int, Samples>();
        var notOk = 0;
        foreach (var concurrency in Concurrencies)
        {
            var result = await load.RunAsync(concurrency, seconds);
            Console.WriteLine($"  {variant} c={concurrency}: p50 {result.Samples.PercentileMs(50):0.000} ms, p99 {result.Samples.PercentileMs(99):0.000} ms, {result.Samples.Throughput:0} calls/s, denied {result.Denied}, failed {result.Failed}");
            notOk += result.Denied + result.Failed;
            results[concurrency] = result.Samples;
        }

        return (results, notOk);
    }
}
