using System.Globalization;
using System.Text;
using McpPlatform.Core;

namespace McpPlatform.Benchmarks;

/// <summary>
/// What one tool call costs the whole running platform, process by process: CPU time (user +
/// system, from /proc) of every process on the machine across a closed-loop load of
/// <c>tools/call whoami</c> as contoso's agent, divided by the calls made. The MCP server's own
/// work is one line; the others are what a call sets off elsewhere (admission in Redis, the audit
/// trail through collector-tenant into PostgreSQL, telemetry through collector-platform into the
/// dashboard). Linux only.
/// </summary>
public sealed class CallCostScenario : IScenario
{
    private static readonly int[] Concurrencies = [1, 8];

    public async Task<ScenarioReport> RunAsync(BenchmarkOptions options)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("call-cost reads /proc.");
        }

        await Platform.EnsureRunningAsync();
        var operatorToken = Platform.Token("operator", PlatformServices.Quota.LocalOrigin);
        await Platform.SetLimitsAsync(operatorToken, DemoDirectory.ContosoTenantId, Platform.Unbounded());
        var ticksPerSecond = double.Parse(Machine.Run("getconf", "CLK_TCK") ?? "100", CultureInfo.InvariantCulture);
        EndToEndHelpers.PinDriver();
        var columns = new List<(int Concurrency, double CallsPerSecond, Dictionary<string, double> MsPerCall)>();
        try
        {
            using var load = new McpLoad(new Uri(PlatformServices.ToolsKnowledge.LocalMcpResource), Platform.Token("contoso-agent"));
            Console.WriteLine($"Warm-up {options.WarmupSeconds} s…");
            await load.RunAsync(8, options.WarmupSeconds);
            foreach (var concurrency in Concurrencies)
            {
                var cpu = new Dictionary<string, double>(StringComparer.Ordinal);
                var calls = 0;
                var seconds = 0.0;
                for (var round = 0; round < options.Rounds; round++)
                {
                    var before = Snapshot();
                    var result = await load.RunAsync(concurrency, options.Seconds);
                    var after = Snapshot();
                    calls += result.Samples.Count;
                    seconds += options.Seconds;
                    foreach (var (process, (name, ticks)) in after)
                    {
                        // A process that started during the round counts all it used.
                        var used = ticks - (before.TryGetValue(process, out var earlier) ? earlier.Ticks : 0);
                        cpu[name] = cpu.GetValueOrDefault(name) + (used / ticksPerSecond * 1000);
                    }

                    Console.WriteLine($"  c={concurrency} round {round + 1}: {result.Samples.Throughput:0} calls/s, p50 {result.Samples.PercentileMs(50):0.000} ms, failed {result.Failed}, denied {result.Denied}");
                }

                columns.Add((concurrency, calls / seconds, cpu.ToDictionary(pair => pair.Key, pair => pair.Value / Math.Max(1, calls))));
            }
        }
        finally
        {
            await Platform.RemoveLimitsAsync(operatorToken, DemoDirectory.ContosoTenantId);
        }

        var names = columns.SelectMany(c => c.MsPerCall.Where(p => p.Value >= 0.005).Select(p => p.Key)).Distinct()
            .OrderByDescending(name => columns.Max(c => c.MsPerCall.GetValueOrDefault(name))).ToList();
        var markdown = new StringBuilder()
            .AppendLine("## Cost of a call")
            .AppendLine()
            .AppendLine(EndToEndHelpers.Header(options, "load driver pinned to CPU 1; the platform unpinned on the same 2 cores"))
            .AppendLine("- What: CPU time (user + system, /proc) of every process on the machine while contoso's agent calls `tools/call whoami` on the running `tools-knowledge` in a closed loop (limits lifted), divided by the calls made. Processes of one kind are summed (all PostgreSQL backends are `postgres`). Shown: processes above 0.005 ms per call.")
            .AppendLine("- Command: `dotnet run -c Release --project AppHost` (the platform in Release), then `DOTNET_TC_CallCountingDelayMs=0 dotnet run -c Release --project benchmarks/McpPlatform.Benchmarks -- call-cost`.")
            .AppendLine()
            .Append("| process |").AppendJoin(string.Empty, columns.Select(c => $" CPU ms per call, {c.Concurrency} concurrent |")).AppendLine()
            .Append("|---|").AppendJoin(string.Empty, columns.Select(_ => "---|")).AppendLine();
        foreach (var name in names)
        {
            markdown.Append(CultureInfo.InvariantCulture, $"| {name} |").AppendJoin(string.Empty, columns.Select(c => string.Create(CultureInfo.InvariantCulture, $" {c.MsPerCall.GetValueOrDefault(name):0.000} |"))).AppendLine();
        }

        markdown.Append("| **all processes** |").AppendJoin(string.Empty, columns.Select(c => string.Create(CultureInfo.InvariantCulture, $" **{c.MsPerCall.Values.Sum():0.000}** |"))).AppendLine()
            .Append("| calls/s |").AppendJoin(string.Empty, columns.Select(c => string.Create(CultureInfo.InvariantCulture, $" {c.CallsPerSecond:0} |"))).AppendLine();
        return new ScenarioReport("Cost of a call", markdown.ToString());
    }

    // (pid, start time) → (kind of process, user + system clock ticks so far). The start time
    // tells a reused pid apart; kernel threads rename themselves, so they are one kind.
    private static Dictionary<(int Pid, long Started), (string Name, long Ticks)> Snapshot()
    {
        var snapshot = new Dictionary<(int, long), (string, long)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // Fields after "(comm)": state is [0], utime [11], stime [12], starttime [19].
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                var started = long.Parse(fields[19], CultureInfo.InvariantCulture);
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                snapshot[(pid, started)] = (Kind(pid, commandLine), ticks);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while it was read.
            }
        }

        return snapshot;
    }

    private static string Kind(int pid, string commandLine)
    {
        if (pid == Environment.ProcessId)
        {
            return "load driver (this benchmark)";
        }

        var program = commandLine.Split(' ', 2)[0];
        var file = Path.GetFileName(program);
        if (file.StartsWith("McpPlatform.", StringComparison.Ordinal))
        {
            return file["McpPlatform.".Length..] switch
            {
                "ToolsKnowledge" => "tools-knowledge",
                "CollectorTenant" => "collector-tenant",
                "CollectorPlatform" => "collector-platform",
                var other => other.ToLowerInvariant(),
            };
        }

        return commandLine switch
        {
            _ when commandLine.StartsWith("postgres", StringComparison.Ordinal) || file == "postgres" => "postgres",
            _ when file == "redis-server" => "redis",
            _ when file.StartsWith("Aspire.Dashboard", StringComparison.Ordinal) => "Aspire dashboard",
            _ when file == "dcp" => "DCP (Aspire orchestrator)",
            _ when commandLine.Length == 0 => "kernel threads",
            _ => file.Length > 0 ? file : "other",
        };
    }
}
