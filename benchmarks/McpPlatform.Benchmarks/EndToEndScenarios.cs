using System.Diagnostics;
using System.Globalization;
using System.Text;
using McpPlatform.Core;
using McpPlatform.Quota.Engine;
using StackExchange.Redis;

namespace McpPlatform.Benchmarks;

/// <summary>
/// tools/call whoami on the same server code four ways: SDK only (no auth), with the platform's
/// auth and tenant context, with in-process quota admission (the default: this benchmark's own
/// redis-server, policy published as the quota service publishes it), and with admission over
/// HTTP through the running quota service. <c>full</c> − <c>auth</c> is the admission cost.
/// </summary>
public sealed class AdmissionOverheadScenario : IScenario
{
    private static readonly string[] Variants = ["bare", "isolated", "remote"];
    private static readonly int[] Concurrencies = [1, 64];

    public async Task<ScenarioReport> RunAsync(BenchmarkOptions options)
    {
        await Platform.EnsureRunningAsync();
        var operatorToken = Platform.Token("operator", PlatformServices.Quota.LocalOrigin);
        // Lift contoso's limits so that admission is measured, not denial.
        await Platform.SetLimitsAsync(operatorToken, DemoDirectory.ContosoTenantId, Platform.Unbounded());
        var token = Platform.Token("contoso-agent");
        await using var redis = await LocalRedis.StartAsync();
        await PublishPolicyAsync(redis.ConnectionString);
        EndToEndHelpers.PinDriver();
        var rows = new List<string>();
        try
        {
            foreach (var variant in Variants)
            {
                await using var server = await ServerProcess.StartAsync(variant, variant == "isolated"
                    ? new Dictionary<string, string> { [$"ConnectionStrings__{InfrastructureResources.Redis}"] = redis.ConnectionString }
                    : null);
                using var load = new McpLoad(server.Endpoint, variant == "bare" ? null : token);
                Console.WriteLine($"{variant}: warm-up {options.WarmupSeconds} s…");
                await load.RunAsync(16, options.WarmupSeconds);
                foreach (var concurrency in Concurrencies)
                {
                    var rounds = new List<McpLoad.Result>();
                    for (var round = 0; round < options.Rounds; round++)
                    {
                        var result = await load.RunAsync(concurrency, options.Seconds);
                        Console.WriteLine($"  {variant} c={concurrency} round {round + 1}: p50 {result.Samples.PercentileMs(50):0.000} ms, p99 {result.Samples.PercentileMs(99):0.000} ms, {result.Samples.Throughput:0} rps, denied {result.Denied}, failed {result.Failed}");
                        rounds.Add(result);
                    }

                    rows.Add(string.Create(CultureInfo.InvariantCulture,
                        $"| {variant} | {concurrency} | {RoundStats.Stat(rounds, r => r.Samples.PercentileMs(50), "0.000")} | {RoundStats.Stat(rounds, r => r.Samples.PercentileMs(99), "0.000")} | {RoundStats.Stat(rounds, r => r.Samples.Throughput, "0")} | {rounds.Sum(r => r.Denied)} | {rounds.Sum(r => r.Failed)} |"));
                }
            }
        }
        finally
        {
            await Platform.RemoveLimitsAsync(operatorToken, DemoDirectory.ContosoTenantId);
        }

        var markdown = new StringBuilder()
            .AppendLine("## Admission overhead (tools/call end to end)")
            .AppendLine()
            .AppendLine(EndToEndHelpers.Header(options, "server child process pinned to CPU 0 (taskset), load driver and the benchmark's redis-server pinned to CPU 1; the platform's identity, quota, Redis and PostgreSQL unpinned on the same 2 cores (idle but for `remote`)"))
            .AppendLine("- What: MCP `tools/call whoami`, stateless Streamable HTTP, keep-alive, closed loop. `bare` = SDK only, no auth, echo tool (docs/benchmarks.md's baseline); `isolated` = the whole call pipeline as tools-knowledge runs it: token validation, caller policy, tenant context, in-process admission (one EVALSHA to admit, one to release, sent after the tool returns and not awaited by the response) against this benchmark's redis-server with every limit set high but checked, the audit record (spooled, shipped to the running `collector-tenant`) and platform telemetry exported over OTLP to the running `collector-platform` (the \"fully isolated call\" of the targets); `remote` = the same pipeline with admission over HTTP through the running `quota` service (contoso's limits lifted through the operator API for the run, removed after).")
            .AppendLine("- Command: `dotnet run -c Release --project AppHost` (the platform in Release) in one terminal, then `DOTNET_TC_CallCountingDelayMs=0 dotnet run -c Release --project benchmarks/McpPlatform.Benchmarks -- admission-overhead`.")
            .AppendLine()
            .AppendLine("| variant | concurrent | p50 ms | p99 ms | calls/s | denied | failed |")
            .AppendLine("|---|---|---|---|---|---|---|");
        rows.ForEach(row => markdown.AppendLine(row));
        return new ScenarioReport("Admission overhead (tools/call end to end)", markdown.ToString());
    }

    /// <summary>Publishes, as the quota service would, the benchmark policy (every limit checked, none binding).</summary>
    private static async Task PublishPolicyAsync(string connectionString)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString);
        using var policy = BenchPolicy.Create();
        await new QuotaPolicySync(redis, policy, new LimitOverrideStore(redis, policy, TimeProvider.System), QuotaPolicyRole.Authority).SyncAsync();
    }
}

/// <summary>
/// Tenant A (contoso) floods the real tools-knowledge at 5× its concurrency cap while tenant B
/// (fabrikam) keeps a steady paced load well under its own; B's latency solo vs under the flood.
/// </summary>
public sealed class NoisyNeighbourScenario : IScenario
{
    private const int Cap = 8;
    private const int FloodWorkers = Cap * 5;
    private const int SteadyWorkers = 2;
    // The flood process starts (runtime, JIT, connections) before B's measured window opens.
    private const double FloodLeadSeconds = 1.5;
    private static readonly TimeSpan s_steadyInterval = TimeSpan.FromMilliseconds(40);

    // A's limits in two variants: its tier's policy as shipped (the standard tier's caps and
    // rates; budgets lifted only so earlier runs this hour cannot exhaust them), and the
    // concurrency cap alone (rates lifted too: the stress case where the cap is A's only bound).
    private static readonly (string Name, object Limits)[] s_variants =
    [
        ("standard tier", Platform.Limits(tenantConcurrency: 16, principalConcurrency: Cap, tenantRate: 50, tenantBurst: 100, principalRate: 20, principalBurst: 40)),
        ("cap only", Platform.Unbounded(Cap, Cap)),
    ];

    public async Task<ScenarioReport> RunAsync(BenchmarkOptions options)
    {
        await Platform.EnsureRunningAsync();
        var operatorToken = Platform.Token("operator", PlatformServices.Quota.LocalOrigin);
        // B well under its own limits: cap 16, rates and budgets lifted.
        await Platform.SetLimitsAsync(operatorToken, DemoDirectory.FabrikamTenantId, Platform.Unbounded(16, 16));
        var endpoint = new Uri(PlatformServices.ToolsKnowledge.LocalMcpResource);
        var floodToken = Platform.Token("contoso-agent");
        using var steady = new McpLoad(endpoint, Platform.Token("fabrikam-agent"));
        EndToEndHelpers.PinDriver();
        var rows = new List<string>();
        var pooled = new List<string>();
        try
        {
            foreach (var (variant, limits) in s_variants)
            {
                var solos = new List<Samples>();
                var shareds = new List<Samples>();
                var ratios = new List<double>();
                await Platform.SetLimitsAsync(operatorToken, DemoDirectory.ContosoTenantId, limits);
                Console.WriteLine($"A's limits: {variant}. Warm-up {options.WarmupSeconds} s…");
                // The warm-up runs the whole flood, so denial pacing and every path of the round are warm too.
                await Task.WhenAll(FloodDriver.RunAsync(endpoint, floodToken, FloodWorkers, options.WarmupSeconds), steady.RunAsync(SteadyWorkers, options.WarmupSeconds, s_steadyInterval));
                for (var round = 0; round < options.Rounds; round++)
                {
                    var solo = await steady.RunAsync(SteadyWorkers, options.Seconds, s_steadyInterval);
                    var floodTask = FloodDriver.RunAsync(endpoint, floodToken, FloodWorkers, options.Seconds + FloodLeadSeconds);
                    await Task.Delay(TimeSpan.FromSeconds(FloodLeadSeconds));
                    var shared = await steady.RunAsync(SteadyWorkers, options.Seconds, s_steadyInterval);
                    var a = await floodTask;
                    solos.Add(solo.Samples);
                    shareds.Add(shared.Samples);
                    var ratio = shared.Samples.PercentileMs(99) / solo.Samples.PercentileMs(99);
                    ratios.Add(ratio);
                    Console.WriteLine($"  {variant}, round {round + 1}: B solo p50 {solo.Samples.PercentileMs(50):0.000} p99 {solo.Samples.PercentileMs(99):0.000}; B under flood p50 {shared.Samples.PercentileMs(50):0.000} p99 {shared.Samples.PercentileMs(99):0.000} (×{ratio:0.00}), B denied {solo.Denied + shared.Denied}; A {a.Calls} calls, {100.0 * a.Denied / Math.Max(1, a.Calls):0.0}% denied");
                    rows.Add(string.Create(CultureInfo.InvariantCulture,
                        $"| {variant} | {round + 1} | {solo.Samples.PercentileMs(50):0.000} | {solo.Samples.PercentileMs(99):0.000} | {shared.Samples.PercentileMs(50):0.000} | {shared.Samples.PercentileMs(99):0.000} | {ratio:0.00} | {solo.Denied + shared.Denied} | {solo.Failed + shared.Failed} | {a.Calls} | {100.0 * a.Denied / Math.Max(1, a.Calls):0.0}% |"));
                }

                // One round's p99 is its ~5th slowest call of ~500: noisy. All rounds pooled
                // (~2,500 calls each side) give the steadier reading of the target.
                var allSolo = Samples.Merge(solos);
                var allShared = Samples.Merge(shareds);
                pooled.Add(string.Create(CultureInfo.InvariantCulture,
                    $"- {variant}, all rounds pooled ({allSolo.Count} solo calls, {allShared.Count} under the flood): B p50 {allSolo.PercentileMs(50):0.000} → {allShared.PercentileMs(50):0.000} ms, p99 {allSolo.PercentileMs(99):0.000} → {allShared.PercentileMs(99):0.000} ms, **p99 ratio {allShared.PercentileMs(99) / allSolo.PercentileMs(99):0.00}**; median of the rounds' ratios {ratios.Order().ElementAt(ratios.Count / 2):0.00}."));
            }
        }
        finally
        {
            await Platform.RemoveLimitsAsync(operatorToken, DemoDirectory.ContosoTenantId);
            await Platform.RemoveLimitsAsync(operatorToken, DemoDirectory.FabrikamTenantId);
        }

        var markdown = new StringBuilder()
            .AppendLine("## Noisy neighbour")
            .AppendLine()
            .AppendLine(EndToEndHelpers.Header(options, "load driver pinned to CPU 1; the platform unpinned on the same 2 cores"))
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"- What: the running `tools-knowledge` (`tools/call whoami`, admission on). A = contoso's agent, principal concurrency cap {Cap}, {FloodWorkers} closed-loop callers (5× the cap) that ignore `retryAfterSeconds`, in a driver process of their own at `nice 19` (A's client stands in for A's own machines). A's limits in two variants: *standard tier* = the shipped standard tier's caps and rates (tenant 16, principal {Cap}; 50/s burst 100 per tenant, 20/s burst 40 per principal; budgets lifted so earlier runs this hour cannot exhaust them); *cap only* = rates lifted too, the concurrency cap is A's only bound. B = fabrikam, cap 16, rates and budgets lifted, {SteadyWorkers} callers paced at {1000 / s_steadyInterval.TotalMilliseconds * SteadyWorkers:0} calls/s. Limits set through the operator API, removed after. Each round: B alone, then B while A floods. Denial pacing (`Mcp:DenialPacing`) as the running platform is configured: on by default."))
            .AppendLine("- Target (docs/benchmarks.md, Targets): B's p99 under the flood ≤ 1.3× solo, B sees 0 denials.")
            .AppendLine("- Command: `dotnet run -c Release --project AppHost` (the platform in Release) in one terminal, then `DOTNET_TC_CallCountingDelayMs=0 dotnet run -c Release --project benchmarks/McpPlatform.Benchmarks -- noisy-neighbour`.")
            .AppendLine()
            .AppendLine("| A's limits | round | B solo p50 ms | B solo p99 ms | B flood p50 ms | B flood p99 ms | p99 ratio | B denied | B failed | A calls | A denied |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        rows.ForEach(row => markdown.AppendLine(row));
        markdown.AppendLine();
        pooled.ForEach(line => markdown.AppendLine(line));
        return new ScenarioReport("Noisy neighbour", markdown.ToString());
    }
}

/// <summary>
/// Runs the flooding tenant's load in a separate process at the lowest CPU priority, pinned with
/// the driver: in production A's agent runs on A's machines, not on the server's cores, so the
/// benchmark keeps A's *client* from competing with B's client and the server as far as two
/// cores allow. A's requests reach the server exactly as before.
/// </summary>
public static class FloodDriver
{
    public const string TokenVariable = "MCPPLATFORM_BENCH_FLOOD_TOKEN";

    public sealed record Result(int Calls, int Denied, int Failed);

    public static async Task<Result> RunAsync(Uri endpoint, string token, int workers, double seconds)
    {
        var start = SelfProcess.StartInfo(cpu: 1, lowestPriority: true,
            "flood", endpoint.ToString(), workers.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture));
        start.Environment[TokenVariable] = token;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var fields = (await output).Trim().Split(' ');
        return process.ExitCode == 0 && fields.Length == 3
            ? new Result(int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"The flood driver failed ({process.ExitCode}): {await error}");
    }
}

internal static class EndToEndHelpers
{
    public static void PinDriver()
    {
        if (Machine.TotalCores >= 2 && OperatingSystem.IsLinux())
        {
            Process.GetCurrentProcess().ProcessorAffinity = 0b10;
        }
    }

    public static string Header(BenchmarkOptions options, string pinning)
    {
        var tiering = Environment.GetEnvironmentVariable("DOTNET_TC_CallCountingDelayMs");
        return string.Create(CultureInfo.InvariantCulture,
            $"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; commit `{Machine.Commit()}`; machine: {Machine.Describe()}.\n" +
            $"- Rounds: {options.Rounds} × {options.Seconds} s after {options.WarmupSeconds} s warm-up; percentiles from every sample; cells are medians of rounds (min–max) where rounds are merged.\n" +
            $"- Tiering: servers started with `DOTNET_TC_CallCountingDelayMs=0` where this benchmark starts them; driver {(tiering == "0" ? "too" : "default tiering")}. Pinning: {pinning}.");
    }
}
