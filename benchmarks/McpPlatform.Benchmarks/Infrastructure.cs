using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace McpPlatform.Benchmarks;

/// <summary>One named measurement.</summary>
public interface IScenario
{
    /// <summary>Runs the scenario and reports it.</summary>
    /// <param name="options">Duration and rounds.</param>
    /// <returns>The report section.</returns>
    Task<ScenarioReport> RunAsync(BenchmarkOptions options);
}

/// <summary>A markdown section of docs/benchmarks.md.</summary>
/// <param name="Section">The section heading (without <c>## </c>).</param>
/// <param name="Markdown">The section including its heading.</param>
public sealed record ScenarioReport(string Section, string Markdown);

/// <summary>Command-line options.</summary>
public sealed record BenchmarkOptions(string Scenario, int Seconds, int Rounds, int WarmupSeconds, bool Write)
{
    /// <summary>Whether <c>--warmup</c> was given (scenarios with a longer default warm-up keep theirs otherwise).</summary>
    public bool WarmupGiven { get; init; }

    /// <summary><c>--only a,b</c>: the parts of a scenario to run (empty: all).</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary><c>--soak-minutes N</c>: how long the faults scenario's soak runs (0 skips it).</summary>
    public int SoakMinutes { get; init; } = 30;

    /// <summary><c>--service-env NAME=VALUE</c> (repeatable): set in every platform service the benchmark starts itself.</summary>
    public IReadOnlyDictionary<string, string> ServiceEnvironment { get; init; } = new Dictionary<string, string>();

    public static BenchmarkOptions Parse(string[] args)
    {
        var scenario = "quota-engine";
        int seconds = 5, rounds = 3, warmup = 5, soakMinutes = 30;
        var write = true;
        var warmupGiven = false;
        string[] only = [];
        var serviceEnvironment = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds": seconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); warmupGiven = true; break;
                case "--only": only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--soak-minutes": soakMinutes = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--no-write": write = false; break;
                case "--service-env":
                    var (name, value) = args[++i].Split('=', 2) is [var n, var v] ? (n, v) : throw new ArgumentException("--service-env takes NAME=VALUE");
                    serviceEnvironment[name] = value;
                    break;
                default: scenario = args[i]; break;
            }
        }

        return new BenchmarkOptions(scenario, seconds, rounds, warmup, write) { WarmupGiven = warmupGiven, Only = only, SoakMinutes = soakMinutes, ServiceEnvironment = serviceEnvironment };
    }
}

/// <summary>Facts about the run that every report states.</summary>
public static class Machine
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{TotalCores} cores ({cpu ?? "unknown CPU"}), {Environment.OSVersion}, .NET {Environment.Version}";
    }

    /// <summary>Cores of the machine, not of this process's affinity (taskset narrows ProcessorCount).</summary>
    public static int TotalCores =>
        int.TryParse(Run("nproc", "--all"), NumberStyles.None, CultureInfo.InvariantCulture, out var cores) ? cores : Environment.ProcessorCount;

    public static string Commit() => Run("git", "rev-parse --short HEAD") ?? "unknown";

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

    public static string? Run(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true });
            var output = process!.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit(5000);
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>The CPUs this process may run on (from taskset), or null.</summary>
    public static string? Affinity() =>
        FindOnPath("taskset") is null ? null : Run("taskset", $"-cp {Environment.ProcessId}")?.Split(':').Last().Trim();
}

/// <summary>A private redis-server on a free loopback port, pinned to the last core when taskset exists.</summary>
public sealed class LocalRedis : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private LocalRedis(Process process, string directory, int port, string? pinnedTo)
    {
        _process = process;
        _directory = directory;
        Port = port;
        PinnedTo = pinnedTo;
    }

    public int Port { get; }

    public string? PinnedTo { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<LocalRedis> StartAsync()
    {
        var port = FreePort();
        var directory = Directory.CreateTempSubdirectory("quota-bench-redis-").FullName;
        var redis = Machine.FindOnPath("redis-server") ?? throw new InvalidOperationException("redis-server is not on PATH.");
        var taskset = Machine.FindOnPath("taskset");
        var core = (Machine.TotalCores - 1).ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(taskset ?? redis) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (taskset is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(core);
            start.ArgumentList.Add(redis);
        }

        foreach (var argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory, "--save", "", "--appendonly", "no", "--loglevel", "warning" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }

        return new LocalRedis(process, directory, port, taskset is null ? null : core);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A port free on loopback now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Latency samples of one round and their percentiles (from every sample, no synthesis).</summary>
public sealed class Samples(long[] ticks, int count, double seconds)
{
    private long[] Ticks => ticks;

    private double Seconds => seconds;

    public int Count => count;

    public double Throughput => count / seconds;

    public double PercentileMs(double percentile)
    {
        if (count == 0)
        {
            return double.NaN;
        }

        var index = (int)Math.Min(count - 1, Math.Ceiling(percentile / 100 * count) - 1);
        return ticks[Math.Max(0, index)] * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>Every sample of several runs together (their seconds added).</summary>
    public static Samples Merge(IEnumerable<Samples> runs)
    {
        var list = runs.ToList();
        return Sorted(list.Select(run => (run.Ticks, run.Count)), list.Sum(run => run.Seconds));
    }

    public static Samples Sorted(IEnumerable<(long[] Ticks, int Count)> perWorker, double seconds)
    {
        var all = perWorker.SelectMany(worker => worker.Ticks.Take(worker.Count)).ToArray();
        Array.Sort(all);
        return new Samples(all, all.Length, seconds);
    }
}

/// <summary>How rounds are reported: the median, with min–max when there is more than one round.</summary>
public static class RoundStats
{
    public static string Stat<T>(IEnumerable<T> rounds, Func<T, double> value, string format)
    {
        var values = rounds.Select(value).Order().ToArray();
        var median = values[values.Length / 2];
        return values.Length == 1
            ? median.ToString(format, CultureInfo.InvariantCulture)
            : $"{median.ToString(format, CultureInfo.InvariantCulture)} ({values[0].ToString(format, CultureInfo.InvariantCulture)}–{values[^1].ToString(format, CultureInfo.InvariantCulture)})";
    }
}

/// <summary>Writes or refreshes one section of docs/benchmarks.md.</summary>
public static class BenchmarkReport
{
    public static string WriteSection(ScenarioReport report)
    {
        var path = Path.Combine(Repository.Root, "docs", "benchmarks.md");
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\nNumbers measured by `benchmarks/McpPlatform.Benchmarks` (one section per scenario, refreshed by re-running it).\n";
        var heading = $"## {report.Section}";
        var start = text.IndexOf(heading + "\n", StringComparison.Ordinal);
        string updated;
        if (start < 0)
        {
            updated = text.TrimEnd() + "\n\n" + report.Markdown.TrimEnd() + "\n";
        }
        else
        {
            var next = text.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
            updated = text[..start] + report.Markdown.TrimEnd() + "\n" + (next < 0 ? string.Empty : text[next..]);
        }

        File.WriteAllText(path, updated, new UTF8Encoding(false));
        return path;
    }
}
