using System.Diagnostics;
using System.Globalization;
using System.Text;
using McpPlatform.Knowledge.Chunking;
using McpPlatform.Knowledge.Embeddings;

namespace McpPlatform.Benchmarks;

/// <summary>
/// MiniLM embeddings in-process: ingest throughput (chunks of the default chunker embedded one
/// per call and 16 per call in model runs of 1, 4 and 16, by 1 and 2 concurrent callers) and the latency of embedding one
/// search query. The section title carries the CPUs the process may use, so a pinned and an
/// unpinned run each keep their own section.
/// </summary>
public sealed class EmbeddingsScenario : IScenario
{
    private const int CallSize = 16;

    private static readonly string[] Queries =
    [
        "how do I reset my password", "refund policy for annual plans", "which regions store customer data",
        "export all documents of my tenant", "what is the rate limit per agent", "rotate the signing keys",
        "how are embeddings cached", "delete a document permanently", "quota denied with retry after",
        "who can read the audit trail", "onboarding a new organisation", "what happens when redis is down",
    ];

    public async Task<ScenarioReport> RunAsync(BenchmarkOptions options)
    {
        var cpus = Environment.ProcessorCount;
        var chunks = Corpus();
        using var generator = new MiniLmEmbeddingGenerator(new KnowledgeEmbeddingsOptions { IntraOpThreads = 1, MaxConcurrentRuns = 2 });
        var tokens = chunks.Select(generator.CountTokens).ToArray();
        Console.WriteLine($"{chunks.Length} chunks, {tokens.Average():0} word-pieces on average (max {tokens.Max()}); {cpus} CPU(s) usable.");

        Console.WriteLine($"Warm-up {options.WarmupSeconds} s…");
        await IngestRoundAsync(generator, chunks, CallSize, 1, options.WarmupSeconds);

        var ingestRows = new List<string>();
        foreach (var callers in new[] { 1, 2 })
        {
            foreach (var (perCall, perRun) in new[] { (1, 1), (CallSize, 1), (CallSize, 4), (CallSize, 16) })
            {
                // Same process-wide model; only how many chunks go into one model run differs.
                using var batched = new MiniLmEmbeddingGenerator(new KnowledgeEmbeddingsOptions { IntraOpThreads = 1, MaxConcurrentRuns = 2, BatchSize = perRun });
                var rounds = new List<IngestResult>();
                for (var round = 0; round < options.Rounds; round++)
                {
                    var result = await IngestRoundAsync(batched, chunks, perCall, callers, options.Seconds);
                    Console.WriteLine($"  {perCall} per call, {perRun} per run, callers {callers}, round {round + 1}: {result.ChunksPerSecond:0.0} chunks/s, {result.TokensPerSecond:0} word-pieces/s");
                    rounds.Add(result);
                }

                ingestRows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {perCall} | {perRun} | {callers} | {RoundStats.Stat(rounds, r => r.ChunksPerSecond, "0.0")} | {RoundStats.Stat(rounds, r => r.TokensPerSecond, "0")} |"));
            }
        }

        var queryRows = new List<string> { await QueryRowAsync(generator, "1", options) };
        if (cpus > 1)
        {
            using var twoThreads = new MiniLmEmbeddingGenerator(new KnowledgeEmbeddingsOptions { IntraOpThreads = 2, MaxConcurrentRuns = 2 });
            await QueryRoundAsync(twoThreads, Math.Min(2, options.WarmupSeconds));
            queryRows.Add(await QueryRowAsync(twoThreads, "2", options));
        }

        var tiering = Environment.GetEnvironmentVariable("DOTNET_TC_CallCountingDelayMs");
        var markdown = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"## Embeddings (MiniLM, {cpus} CPU{(cpus == 1 ? string.Empty : "s")})")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; commit `{Machine.Commit()}`; machine: {Machine.Describe()}.")
            .AppendLine(CultureInfo.InvariantCulture, $"- What: `MiniLmEmbeddingGenerator` (all-MiniLM-L6-v2, ONNX Runtime on CPU, 256-piece window) in-process. Corpus: {chunks.Length} chunks cut by the default `TextChunker` from English prose, {tokens.Average():0} word-pieces each on average (max {tokens.Max()}). Ingest: closed loop, each caller embeds the next chunk or the next {CallSize} chunks per call; the generator cuts a call into model runs of `BatchSize` chunks (sorted by length, padded to the longest in the run). Query: one short question per call, serial, percentiles from every sample. ONNX Runtime intra-op threads 1 unless the row says otherwise, spinning off.")
            .AppendLine(CultureInfo.InvariantCulture, $"- Rounds: {options.Rounds} × {options.Seconds} s after a {options.WarmupSeconds} s warm-up; cells are the median of rounds (min–max). Tiering: `DOTNET_TC_CallCountingDelayMs={tiering ?? "unset (default)"}`. Pinning: CPU(s) {Machine.Affinity() ?? "not pinned"}.")
            .AppendLine(CultureInfo.InvariantCulture, $"- Command: `DOTNET_TC_CallCountingDelayMs=0 taskset -c {Machine.Affinity() ?? "0,1"} dotnet run -c Release --project benchmarks/McpPlatform.Benchmarks -- embeddings --seconds {options.Seconds} --rounds {options.Rounds}`.")
            .AppendLine()
            .AppendLine("| chunks per call | chunks per model run | concurrent callers | chunks/s | word-pieces/s |")
            .AppendLine("|---|---|---|---|---|");
        ingestRows.ForEach(row => markdown.AppendLine(row));
        markdown.AppendLine()
            .AppendLine("| query embedding | intra-op threads | p50 ms | p99 ms | queries/s |")
            .AppendLine("|---|---|---|---|---|");
        queryRows.ForEach(row => markdown.AppendLine(row));
        if (cpus == 1)
        {
            markdown.AppendLine().AppendLine("With one CPU, two callers share it: that row shows the cost of contention, not a gain.");
        }

        return new ScenarioReport($"Embeddings (MiniLM, {cpus} CPU{(cpus == 1 ? string.Empty : "s")})", markdown.ToString());
    }

    private static async Task<string> QueryRowAsync(MiniLmEmbeddingGenerator generator, string threads, BenchmarkOptions options)
    {
        var rounds = new List<Samples>();
        for (var round = 0; round < options.Rounds; round++)
        {
            var samples = await QueryRoundAsync(generator, options.Seconds);
            Console.WriteLine($"  query, intra-op {threads}, round {round + 1}: p50 {samples.PercentileMs(50):0.000} ms, p99 {samples.PercentileMs(99):0.000} ms");
            rounds.Add(samples);
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"| single query | {threads} | {RoundStats.Stat(rounds, r => r.PercentileMs(50), "0.000")} | {RoundStats.Stat(rounds, r => r.PercentileMs(99), "0.000")} | {RoundStats.Stat(rounds, r => r.Throughput, "0")} |");
    }

    private static async Task<Samples> QueryRoundAsync(MiniLmEmbeddingGenerator generator, int seconds)
    {
        var ticks = new long[Math.Max(1024, seconds * 5_000)];
        var count = 0;
        var started = Stopwatch.GetTimestamp();
        var end = started + (seconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end && count < ticks.Length)
        {
            var t0 = Stopwatch.GetTimestamp();
            await generator.GenerateAsync([Queries[count % Queries.Length]]);
            ticks[count++] = Stopwatch.GetTimestamp() - t0;
        }

        var elapsed = (Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency;
        return Samples.Sorted([(ticks, count)], elapsed);
    }

    private static async Task<IngestResult> IngestRoundAsync(
        MiniLmEmbeddingGenerator generator, string[] chunks, int batch, int callers, int seconds)
    {
        var next = -1;
        long embedded = 0, tokens = 0;
        var started = Stopwatch.GetTimestamp();
        var end = started + (seconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var first = Interlocked.Add(ref next, batch) - batch + 1;
                var inputs = Enumerable.Range(first, batch).Select(i => chunks[i % chunks.Length]).ToArray();
                var result = await generator.GenerateAsync(inputs);
                Interlocked.Add(ref embedded, result.Count);
                Interlocked.Add(ref tokens, result.Usage?.InputTokenCount ?? 0);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = (Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency;
        return new IngestResult(embedded / elapsed, tokens / elapsed);
    }

    /// <summary>Varied English prose (fixed seed), cut by the default chunker: what ingest embeds.</summary>
    private static string[] Corpus()
    {
        string[] subjects = ["The knowledge service", "Each tenant", "An operator", "The quota engine", "A search request", "The vector store", "Every agent", "The audit pipeline"];
        string[] verbs = ["stores", "validates", "exports", "rejects", "caches", "indexes", "summarises", "encrypts", "replicates", "deletes"];
        string[] objects =
        [
            "documents with their titles and source addresses", "embeddings computed from overlapping passages",
            "requests that exceed the configured rate", "results for a short time before recomputing them",
            "invoices, contracts and support tickets", "the character offsets of every chunk",
            "records that mention personal data", "collections named from an opaque tenant key",
        ];
        string[] tails =
        [
            "so that audits stay simple.", "without contacting any other organisation.", "whenever the policy changes.",
            "before the response is sent.", "and reports the usage to the budget.", "even when Redis is unavailable.",
            "according to the retention schedule.", "unless an administrator intervenes.",
        ];
        var random = new Random(20261125);
        var text = new StringBuilder();
        for (var paragraph = 0; paragraph < 400; paragraph++)
        {
            var sentences = random.Next(3, 9);
            for (var s = 0; s < sentences; s++)
            {
                text.Append(subjects[random.Next(subjects.Length)]).Append(' ')
                    .Append(verbs[random.Next(verbs.Length)]).Append(' ')
                    .Append(objects[random.Next(objects.Length)]).Append(' ')
                    .Append(tails[random.Next(tails.Length)]).Append(' ');
            }

            text.Length--;
            text.Append("\n\n");
        }

        return new TextChunker(new ChunkingOptions()).Chunk(text.ToString()).Select(chunk => chunk.Text).ToArray();
    }

    private sealed record IngestResult(double ChunksPerSecond, double TokensPerSecond);
}
