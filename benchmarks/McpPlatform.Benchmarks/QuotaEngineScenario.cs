using System.Diagnostics;
using System.Globalization;
using System.Text;
using McpPlatform.Core.Quota;
using McpPlatform.Quota.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Benchmarks;

/// <summary>
/// The quota engine in-process against a real local redis-server: one admit (EVALSHA) plus one
/// release (EVALSHA) per operation, every limit active but set high enough that all are granted,
/// closed loop at 1, 16 and 64 concurrent callers.
/// </summary>
public sealed class QuotaEngineScenario : IScenario
{
    private static readonly int[] Concurrencies = [1, 16, 64];

    public async Task<ScenarioReport> RunAsync(BenchmarkOptions options)
    {
        await using var redis = await LocalRedis.StartAsync();
        // Generous timeout: a benchmark measures latency, it must not turn a slow sample into a denial.
        using var multiplexer = QuotaRedis.Connect(redis.ConnectionString, new QuotaRedisOptions { OperationTimeoutMilliseconds = 5000 });
        using var quotaPolicy = BenchPolicy.Create();
        var engine = new QuotaEngine(multiplexer, quotaPolicy, TimeProvider.System, NullLogger<QuotaEngine>.Instance);

        Console.WriteLine($"Warm-up {options.WarmupSeconds} s at 16 concurrent…");
        await RunRoundAsync(engine, 16, options.WarmupSeconds);

        var rows = new List<string>();
        foreach (var concurrency in Concurrencies)
        {
            var rounds = new List<RoundResult>();
            for (var round = 0; round < options.Rounds; round++)
            {
                var result = await RunRoundAsync(engine, concurrency, options.Seconds);
                Console.WriteLine($"  c={concurrency} round {round + 1}: admit p50 {result.Admit.PercentileMs(50):0.000} ms, pair p50 {result.Pair.PercentileMs(50):0.000} ms, p99 {result.Pair.PercentileMs(99):0.000} ms, {result.Pair.Throughput:0} pairs/s, denied {result.Denied}");
                rounds.Add(result);
            }

            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {concurrency} | {RoundStats.Stat(rounds, r => r.Admit.PercentileMs(50), "0.000")} | {RoundStats.Stat(rounds, r => r.Admit.PercentileMs(99), "0.000")} | {RoundStats.Stat(rounds, r => r.Pair.PercentileMs(50), "0.000")} | {RoundStats.Stat(rounds, r => r.Pair.PercentileMs(99), "0.000")} | {RoundStats.Stat(rounds, r => r.Pair.Throughput, "0")} | {rounds.Sum(r => r.Denied)} |"));
        }

        var tiering = Environment.GetEnvironmentVariable("DOTNET_TC_CallCountingDelayMs");
        var markdown = new StringBuilder()
            .AppendLine("## Quota engine")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; commit `{Machine.Commit()}`; machine: {Machine.Describe()}.")
            .AppendLine(CultureInfo.InvariantCulture, $"- What: `QuotaEngine.AdmitAsync` + `ReleaseAsync` in-process (one EVALSHA each, every limit checked, all granted) against redis-server on loopback; Release build; closed loop; {options.Rounds} rounds × {options.Seconds} s per concurrency after a {options.WarmupSeconds} s warm-up. Percentiles from every sample; cells are the median of rounds (min–max).")
            .AppendLine(CultureInfo.InvariantCulture, $"- Tiering: `DOTNET_TC_CallCountingDelayMs={tiering ?? "unset (default)"}`. Pinning: benchmark process on CPU(s) {Machine.Affinity() ?? "not pinned"}, redis-server on CPU {redis.PinnedTo ?? "not pinned"}.")
            .AppendLine(CultureInfo.InvariantCulture, $"- Command: `taskset -c 0 dotnet run -c Release --project benchmarks/McpPlatform.Benchmarks -- quota-engine --seconds {options.Seconds} --rounds {options.Rounds}`.")
            .AppendLine()
            .AppendLine("| concurrent | admit p50 ms | admit p99 ms | admit+release p50 ms | admit+release p99 ms | admit+release pairs/s | denied |")
            .AppendLine("|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            markdown.AppendLine(row);
        }

        return new ScenarioReport("Quota engine", markdown.ToString());
    }

    private static async Task<RoundResult> RunRoundAsync(QuotaEngine engine, int concurrency, int seconds)
    {
        var capacity = Math.Max(1024, seconds * 200_000 / concurrency);
        var end = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        var denied = 0;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var admitTicks = new long[capacity];
            var pairTicks = new long[capacity];
            var count = 0;
            var input = new AdmissionInput($"bench-tenant-{worker % 4}", $"agent-{worker}", $"bench-tenant-{worker % 4}", "search", 100, 1_000);
            var actual = new QuotaUsage(80, 0.0008m);
            while (Stopwatch.GetTimestamp() < end)
            {
                var t0 = Stopwatch.GetTimestamp();
                var admission = await engine.AdmitAsync(input);
                var t1 = Stopwatch.GetTimestamp();
                if (admission.Lease is not { } lease)
                {
                    Interlocked.Increment(ref denied);
                    continue;
                }

                await engine.ReleaseAsync(lease, actual);
                var t2 = Stopwatch.GetTimestamp();
                if (count < capacity)
                {
                    admitTicks[count] = t1 - t0;
                    pairTicks[count] = t2 - t0;
                    count++;
                }
            }

            return (admitTicks, pairTicks, count);
        })).ToArray();

        var results = await Task.WhenAll(workers);
        var elapsed = (Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency;
        return new RoundResult(
            Samples.Sorted(results.Select(r => (r.admitTicks, r.count)), elapsed),
            Samples.Sorted(results.Select(r => (r.pairTicks, r.count)), elapsed),
            denied);
    }

    private sealed record RoundResult(Samples Admit, Samples Pair, int Denied);
}

/// <summary>The benchmarks' quota policy: every limit present (so every check runs), none binding.</summary>
internal static class BenchPolicy
{
    public static QuotaPolicy Create()
    {
        var options = new QuotaPolicyOptions { DefaultTier = "bench" };
        options.Tiers["bench"] = new QuotaLimits
        {
            TenantConcurrency = 100_000,
            PrincipalConcurrency = 100_000,
            TenantRatePerSecond = 1_000_000_000,
            TenantRateBurst = 1_000_000_000,
            PrincipalRatePerSecond = 1_000_000_000,
            PrincipalRateBurst = 1_000_000_000,
            TokensPerHour = 1_000_000_000_000,
            TokensPerDay = 1_000_000_000_000,
            CostPerHour = 1_000_000_000m,
            CostPerDay = 1_000_000_000m,
        };
        return new QuotaPolicy(new FixedOptions(options), NullLogger<QuotaPolicy>.Instance);
    }

    private sealed class FixedOptions(QuotaPolicyOptions value) : IOptionsMonitor<QuotaPolicyOptions>
    {
        public QuotaPolicyOptions CurrentValue => value;

        public QuotaPolicyOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<QuotaPolicyOptions, string?> listener) => null;
    }
}
