using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpPlatform.Core;

namespace McpPlatform.Benchmarks;

/// <summary>
/// <c>search_knowledge</c> through MCP on the running tools-knowledge, cache hit vs miss. A miss
/// sends a query never sent before (its embedding and its result are both absent from contoso's
/// cache): MiniLM embeds it and the store searches. A hit repeats one warmed query: one
/// tenant-scoped HybridCache lookup (memory tier, Redis behind it). Everything else — token
/// validation, tenant context, admission, audit — is the same on both paths.
/// </summary>
public sealed class KnowledgeCacheScenario : IScenario
{
    private static readonly string[] Topics =
    [
        "How do I connect to the VPN from home", "What hotel costs are reimbursed on a business trip",
        "Who do I page when production is down", "Which gateway does remote access use",
    ];

    public async Task<ScenarioReport> RunAsync(BenchmarkOptions options)
    {
        await Platform.EnsureRunningAsync();
        var operatorToken = Platform.Token("operator", PlatformServices.Quota.LocalOrigin);
        await Platform.SetLimitsAsync(operatorToken, DemoDirectory.ContosoTenantId, Platform.Unbounded());
        var token = Platform.Token("contoso-agent");
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { Timeout = TimeSpan.FromSeconds(30) };
        var endpoint = new Uri(PlatformServices.ToolsKnowledge.LocalMcpResource);
        var run = $"{DateTime.UtcNow:HHmmss}";
        var counter = 0;
        string NextMiss() => $"{Topics[counter % Topics.Length]} (variant {run}-{Interlocked.Increment(ref counter)})";
        const string HitQuery = "How do I connect to the VPN from home?";

        EndToEndHelpers.PinDriver();
        var rows = new List<string>();
        try
        {
            Console.WriteLine($"Warm-up {options.WarmupSeconds} s…");
            await LoopAsync(http, endpoint, token, options.WarmupSeconds, NextMiss, expectCached: false);
            await LoopAsync(http, endpoint, token, options.WarmupSeconds, () => HitQuery, expectCached: null);

            var misses = new List<Round>();
            var hits = new List<Round>();
            for (var round = 0; round < options.Rounds; round++)
            {
                misses.Add(await LoopAsync(http, endpoint, token, options.Seconds, NextMiss, expectCached: false));
                hits.Add(await LoopAsync(http, endpoint, token, options.Seconds, () => HitQuery, expectCached: true));
                Console.WriteLine($"  round {round + 1}: miss p50 {misses[^1].Samples.PercentileMs(50):0.000} p99 {misses[^1].Samples.PercentileMs(99):0.000}; hit p50 {hits[^1].Samples.PercentileMs(50):0.000} p99 {hits[^1].Samples.PercentileMs(99):0.000}; unexpected {misses[^1].Unexpected + hits[^1].Unexpected}");
            }

            foreach (var (name, rounds) in (ValueTuple<string, List<Round>>[])[("miss (embed + search)", misses), ("hit (tenant cache)", hits)])
            {
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {RoundStats.Stat(rounds, r => r.Samples.PercentileMs(50), "0.000")} | {RoundStats.Stat(rounds, r => r.Samples.PercentileMs(99), "0.000")} | {RoundStats.Stat(rounds, r => r.Samples.Throughput, "0")} | {rounds.Sum(r => r.Samples.Count)} | {rounds.Sum(r => r.Unexpected)} |"));
            }
        }
        finally
        {
            await Platform.RemoveLimitsAsync(operatorToken, DemoDirectory.ContosoTenantId);
        }

        var markdown = new StringBuilder()
            .AppendLine("## Knowledge search: cache hit vs miss")
            .AppendLine()
            .AppendLine(EndToEndHelpers.Header(options, "load driver pinned to CPU 1; the platform (tools-knowledge with MiniLM, Redis, quota, identity) unpinned on the same 2 cores"))
            .AppendLine("- What: MCP `tools/call search_knowledge` (topK 5) as contoso-agent on the running `tools-knowledge` (embedded store holding the demo corpus and whatever tests left), serial closed loop, keep-alive, raw Streamable HTTP. Miss = a query never sent before, so the embedding cache and the search cache both miss: MiniLM embeds the query (one model run) and the store searches. Hit = one warmed query answered from contoso's tenant-scoped HybridCache entry. Both paths include token validation, tenant context, in-process admission and audit. Contoso's limits lifted through the operator API for the run, removed after. `unexpected` counts answers whose `cached` flag was not the one the row measures (or errors).")
            .AppendLine("- Command: `dotnet run -c Release --project AppHost --launch-profile http` (the platform in Release) in one terminal, then `DOTNET_TC_CallCountingDelayMs=0 dotnet run -c Release --project benchmarks/McpPlatform.Benchmarks -- knowledge-cache`.")
            .AppendLine()
            .AppendLine("| path | p50 ms | p99 ms | calls/s | calls | unexpected |")
            .AppendLine("|---|---|---|---|---|---|");
        rows.ForEach(row => markdown.AppendLine(row));
        return new ScenarioReport("Knowledge search: cache hit vs miss", markdown.ToString());
    }

    private sealed record Round(Samples Samples, int Unexpected);

    private static async Task<Round> LoopAsync(HttpClient http, Uri endpoint, string token, double seconds, Func<string> query, bool? expectCached)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var ticks = new long[1 << 14];
        var count = 0;
        var unexpected = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new
            {
                jsonrpc = "2.0",
                id = 1,
                method = "tools/call",
                @params = new { name = "search_knowledge", arguments = new { query = query(), topK = 5 } },
            });
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var elapsed = Stopwatch.GetTimestamp() - started;
            var ok = response.IsSuccessStatusCode && !text.Contains("\"isError\":true", StringComparison.Ordinal);
            if (!ok || (expectCached is { } cached && !text.Contains(cached ? "\\\"cached\\\":true" : "\\\"cached\\\":false", StringComparison.Ordinal)
                && !text.Contains(cached ? "\"cached\":true" : "\"cached\":false", StringComparison.Ordinal)))
            {
                unexpected++;
            }

            if (count == ticks.Length)
            {
                Array.Resize(ref ticks, ticks.Length * 2);
            }

            ticks[count++] = elapsed;
        }

        return new Round(Samples.Sorted([(ticks, count)], seconds), unexpected);
    }
}
