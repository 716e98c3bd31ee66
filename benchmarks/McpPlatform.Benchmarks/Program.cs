using McpPlatform.Benchmarks;

// Usage: dotnet run -c Release --project benchmarks/McpPlatform.Benchmarks -- [scenario] [--seconds N] [--rounds N] [--no-write]
// Scenarios are looked up by name; the lead adds end-to-end ones next to quota-engine.
var scenarios = new Dictionary<string, IScenario>(StringComparer.OrdinalIgnoreCase)
{
    ["quota-engine"] = new QuotaEngineScenario(),
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
