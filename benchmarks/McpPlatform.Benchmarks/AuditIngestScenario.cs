using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using McpPlatform.Core;

namespace McpPlatform.Benchmarks;

/// <summary>
/// collector-tenant's sustained ingest rate through its real API (token validation, validation of
/// every record, one transaction per batch under RLS with ON CONFLICT DO NOTHING) against the
/// running platform's PostgreSQL: closed loop of senders posting full batches as tools-knowledge
/// does. "Dropped" is every record not acknowledged as stored: errors plus any shortfall between
/// records sent and records the collector says it inserted.
/// </summary>
public sealed class AuditIngestScenario : IScenario
{
    private static readonly int[] Senders = [1, 4];
    private static readonly string[] Tenants = [DemoDirectory.ContosoTenantId, DemoDirectory.FabrikamTenantId];

    public async Task<ScenarioReport> RunAsync(BenchmarkOptions options)
    {
        await EnsureCollectorAsync();
        var token = await ServiceTokenAsync();
        using var http = new HttpClient { BaseAddress = PlatformServices.CollectorTenant.LocalUrl, Timeout = TimeSpan.FromSeconds(60) };

        Console.WriteLine($"Warm-up {options.WarmupSeconds} s with 4 senders…");
        await RunRoundAsync(http, token, 4, options.WarmupSeconds);

        var rows = new List<string>();
        foreach (var senders in Senders)
        {
            var rounds = new List<Round>();
            for (var round = 0; round < options.Rounds; round++)
            {
                var result = await RunRoundAsync(http, token, senders, options.Seconds);
                Console.WriteLine($"  senders={senders} round {round + 1}: {result.RecordsPerSecond:0} records/s, batch p50 {result.Batches.PercentileMs(50):0.0} ms, p99 {result.Batches.PercentileMs(99):0.0} ms, dropped {result.Dropped}");
                rounds.Add(result);
            }

            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {senders} | {AuditLimits.MaxRecordsPerBatch} | {RoundStats.Stat(rounds, r => r.RecordsPerSecond, "0")} | {RoundStats.Stat(rounds, r => r.Batches.PercentileMs(50), "0.0")} | {RoundStats.Stat(rounds, r => r.Batches.PercentileMs(99), "0.0")} | {rounds.Sum(r => r.Sent)} | {rounds.Sum(r => r.Dropped)} |"));
        }

        var markdown = new StringBuilder()
            .AppendLine("## Audit ingest (collector-tenant)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; commit `{Machine.Commit()}`; machine: {Machine.Describe()}.")
            .AppendLine(CultureInfo.InvariantCulture, $"- What: `POST /v1/records` on the running platform (eng/run.sh, local mode: PostgreSQL 15 on loopback), authenticated as tools-knowledge (`audit:write`), full batches of {AuditLimits.MaxRecordsPerBatch} tool-call records alternating contoso/fabrikam, each batch stored in one transaction with the tenant set per group (RLS) and `ON CONFLICT DO NOTHING`; closed loop; {options.Rounds} rounds × {options.Seconds} s per sender count after a {options.WarmupSeconds} s warm-up. Batch latency percentiles from every batch; cells are the median of rounds (min–max).")
            .AppendLine("- Dropped = records not acknowledged as inserted (non-200 answers plus any shortfall of `accepted`); 0 means every record sent is stored.")
            .AppendLine("- Not pinned: the whole platform (AppHost, identity, quota, tools-knowledge, PostgreSQL, Redis) shares the 2 cores with the load driver, so this is a floor, not the collector's ceiling; the services run as eng/run.sh builds them (Debug), the load driver is Release.")
            .AppendLine(CultureInfo.InvariantCulture, $"- Command: `dotnet run -c Release --project benchmarks/McpPlatform.Benchmarks -- audit-ingest --seconds {options.Seconds} --rounds {options.Rounds}` with the platform running.")
            .AppendLine()
            .AppendLine("| senders | records/batch | records/s | batch p50 ms | batch p99 ms | records sent | dropped |")
            .AppendLine("|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            markdown.AppendLine(row);
        }

        return new ScenarioReport("Audit ingest (collector-tenant)", markdown.ToString());
    }

    private static async Task<Round> RunRoundAsync(HttpClient http, string token, int senders, int seconds)
    {
        var stop = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(seconds);
        var workers = Enumerable.Range(0, senders).Select(worker => Task.Run(async () =>
        {
            var latencies = new long[100_000];
            var count = 0;
            long sent = 0, stored = 0, dropped = 0;
            while (stop.Elapsed < duration)
            {
                var batch = Batch(worker, count);
                var started = Stopwatch.GetTimestamp();
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/records")
                {
                    Content = JsonContent.Create(batch, AuditJsonContext.Default.AuditBatch),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                latencies[count % latencies.Length] = Stopwatch.GetTimestamp() - started;
                count++;
                sent += batch.Records.Count;
                if (response.StatusCode == HttpStatusCode.OK
                    && JsonSerializer.Deserialize(body, AuditJsonContext.Default.AuditBatchResult) is { } result)
                {
                    stored += result.Accepted;
                    dropped += batch.Records.Count - result.Accepted;
                }
                else
                {
                    dropped += batch.Records.Count;
                    Console.Error.WriteLine($"HTTP {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
                }
            }

            return (Ticks: latencies, Count: Math.Min(count, latencies.Length), Sent: sent, Stored: stored, Dropped: dropped);
        })).ToArray();

        var results = await Task.WhenAll(workers);
        var elapsed = stop.Elapsed.TotalSeconds;
        return new Round(
            Samples.Sorted(results.Select(r => (r.Ticks, r.Count)), elapsed),
            results.Sum(r => r.Stored) / elapsed,
            results.Sum(r => r.Sent),
            results.Sum(r => r.Dropped));
    }

    private static AuditBatch Batch(int worker, int sequence)
    {
        var now = DateTimeOffset.UtcNow;
        var records = new AuditRecord[AuditLimits.MaxRecordsPerBatch];
        for (var i = 0; i < records.Length; i++)
        {
            var tenant = Tenants[i % Tenants.Length];
            records[i] = new AuditRecord
            {
                Id = Guid.CreateVersion7(),
                OccurredAt = now,
                Kind = AuditKinds.ToolCall,
                TenantId = tenant,
                AuditPartition = tenant,
                PrincipalId = "bench-agent",
                PrincipalType = PrincipalTypes.Agent,
                InvocationId = string.Create(CultureInfo.InvariantCulture, $"bench-{worker}-{sequence}-{i}"),
                Tool = "whoami",
                Outcome = AuditOutcomes.Success,
                UsageTokens = 12,
                DurationMs = 0.4,
                TraceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
                ArgumentDigest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i))),
            };
        }

        return new AuditBatch(records);
    }

    private static async Task EnsureCollectorAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.GetAsync(new Uri(PlatformServices.CollectorTenant.LocalUrl, HealthEndpoints.Health));
            response.EnsureSuccessStatusCode();
        }
        catch (HttpRequestException exception)
        {
            throw new InvalidOperationException("collector-tenant is not healthy: start the platform with eng/run.sh first.", exception);
        }
    }

    private static async Task<string> ServiceTokenAsync()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(PlatformServices.Identity.LocalUrl, "/connect/token"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["resource"] = PlatformServices.CollectorTenant.LocalOrigin,
                ["scope"] = PlatformScopes.AuditWrite,
            }),
        };
        var secret = DevSecrets.Get(DemoDirectory.Parameters.ToolsKnowledgeClientSecret);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{DemoDirectory.ToolsKnowledgeClientId}:{secret}")));
        using var response = await http.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.TryGetProperty("access_token", out var token)
            ? token.GetString()!
            : throw new InvalidOperationException($"identity refused the benchmark's audit token: {body.RootElement}");
    }

    private sealed record Round(Samples Batches, double RecordsPerSecond, long Sent, long Dropped);
}
