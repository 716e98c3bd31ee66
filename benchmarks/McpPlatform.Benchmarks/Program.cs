using System.Globalization;
using McpPlatform.Benchmarks;

if (args is ["serve", var variant, var port])
{
    return await McpServerHost.RunAsync(variant, int.Parse(port, CultureInfo.InvariantCulture));
}

if (args is ["flood", var endpoint, var workers, var seconds])
{
    // The noisy-neighbour scenario's flooding tenant, in a process of its own (its token in the
    // environment, never on a command line): prints "calls denied failed" when done.
    using var load = new McpLoad(new Uri(endpoint), Environment.GetEnvironmentVariable(FloodDriver.TokenVariable));
    var result = await load.RunAsync(int.Parse(workers, CultureInfo.InvariantCulture), double.Parse(seconds, CultureInfo.InvariantCulture));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Samples.Count} {result.Denied} {result.Failed}"));
    return 0;
}

// Usage: dotnet run -c Release --project benchmarks/McpPlatform.Benchmarks -- [scenario] [--seconds N] [--rounds N] [--warmup N] [--no-write]
//   faults only: [--only fault,fault] [--soak-minutes N]
// Scenarios are looked up by name. The end-to-end ones need the platform running (eng/run.sh);
// durability and faults start their own (no other platform may run: the ports are fixed).
var scenarios = new Dictionary<string, IScenario>(StringComparer.OrdinalIgnoreCase)
{
    ["quota-engine"] = new QuotaEngineScenario(),
    ["admission-overhead"] = new AdmissionOverheadScenario(),
    ["noisy-neighbour"] = new NoisyNeighbourScenario(),
    ["embeddings"] = new EmbeddingsScenario(),
    ["vector-store"] = new VectorStoreScenario(),
    ["audit-ingest"] = new AuditIngestScenario(),
    ["knowledge-cache"] = new KnowledgeCacheScenario(),
    ["telemetry-overhead"] = new TelemetryOverheadScenario(),
    ["call-cost"] = new CallCostScenario(),
    ["sandbox"] = new SandboxScenario(),
    ["durability"] = new DurabilityScenario(),
    ["faults"] = new FaultsScenario(),
};

var options = BenchmarkOptions.Parse(args);
if (!scenarios.TryGetValue(options.Scenario, out var scenario))
{
    Console.Error.WriteLine($"Unknown scenario '{options.Scenario}'. Known: {string.Join(", ", scenarios.Keys)}");
    return 2;
}

var report = await scenario.RunAsync(options);
Console.WriteLine(report.Markdown);
if (options.Write)
{
    var path = BenchmarkReport.WriteSection(report);
    Console.WriteLine($"Wrote section '{report.Section}' of {path}");
}

return 0;
