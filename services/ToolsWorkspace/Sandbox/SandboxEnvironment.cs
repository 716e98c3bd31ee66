using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>
/// What this host offers the workers, found once at start: the worker program next to the
/// service, the dotnet executable, whether bubblewrap's namespaces work here, and which cgroup
/// controllers the service may write. Degraded isolation is logged here and reported by
/// <see cref="SandboxHealthCheck"/>, never silent.
/// </summary>
public sealed partial class SandboxEnvironment
{
    /// <summary>The worker's folder name next to the service's own files (and in the published image).</summary>
    public const string WorkerFolderName = "toolworker";

    /// <summary>The worker's entry assembly.</summary>
    public const string WorkerAssemblyName = "McpPlatform.ToolWorker.dll";

    /// <summary>Where the worker's folder appears inside the sandbox.</summary>
    public const string SandboxWorkerFolder = "/toolworker";

    private readonly List<string> _gaps = [];

    /// <summary>Probes the host.</summary>
    /// <param name="options">The sandbox options.</param>
    /// <param name="logger">Where degraded isolation is reported.</param>
    public SandboxEnvironment(IOptions<SandboxOptions> options, ILogger<SandboxEnvironment> logger)
        : this(options.Value, Path.Combine(AppContext.BaseDirectory, WorkerFolderName), logger)
    {
    }

    internal SandboxEnvironment(SandboxOptions options, string workerFolder, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        WorkerFolder = workerFolder;
        DotnetPath = FindDotnet();
        if (!File.Exists(Path.Combine(WorkerFolder, WorkerAssemblyName)))
        {
            Unavailable = $"The worker program is missing ({WorkerFolderName}/{WorkerAssemblyName} next to the service); build or publish the solution again.";
        }
        else if (DotnetPath is null)
        {
            Unavailable = "The dotnet executable that runs this service could not be found, so no worker can be started.";
        }

        var bubblewrap = Unavailable is null && options.Isolation != SandboxIsolation.Process ? ProbeBubblewrap(options.BubblewrapPath) : null;
        Isolation = options.Isolation switch
        {
            SandboxIsolation.Process => SandboxIsolation.Process,
            _ when bubblewrap is null && Unavailable is null => SandboxIsolation.Bubblewrap,
            _ => SandboxIsolation.Process,
        };
        if (options.Isolation == SandboxIsolation.Process)
        {
            _gaps.Add("bubblewrap is off by configuration (Workspace:Sandbox:Isolation=Process): workers share the host's network, PID and mount namespaces");
        }
        else if (bubblewrap is not null && Unavailable is null)
        {
            if (options.Isolation == SandboxIsolation.Bubblewrap)
            {
                Unavailable = $"Bubblewrap is required (Workspace:Sandbox:Isolation=Bubblewrap) but does not work here: {bubblewrap}";
            }

            _gaps.Add($"bubblewrap does not work here ({bubblewrap}): workers run as plain processes that share the host's network, PID and mount namespaces");
        }

        Cgroups = WorkerCgroups.Create(Environment.ProcessId);
        if (Cgroups is null)
        {
            _gaps.Add("cgroup v1 memory and pids controllers are not writable here: memory is bounded by the worker's GC heap limit only, processes by nothing but the runtime");
        }
        else if (!Cgroups.HasCpu)
        {
            _gaps.Add("the cgroup v1 cpu controller is not writable here: tenants' workers share CPU without per-tenant weights");
        }

        if (Unavailable is not null)
        {
            LogUnavailable(logger, Unavailable);
        }
        else if (_gaps.Count > 0)
        {
            LogDegraded(logger, Isolation, string.Join("; ", _gaps));
        }
        else
        {
            LogIsolated(logger);
        }
    }

    /// <summary>The worker's folder on the host.</summary>
    public string WorkerFolder { get; }

    /// <summary>The dotnet executable, or null when it could not be found.</summary>
    public string? DotnetPath { get; }

    /// <summary>The isolation workers get.</summary>
    public SandboxIsolation Isolation { get; }

    /// <summary>Why no worker can run at all, or null when they can.</summary>
    public string? Unavailable { get; }

    /// <summary>The service's cgroups for workers, or null when none are writable.</summary>
    internal WorkerCgroups? Cgroups { get; }

    /// <summary>Which layers are missing, one sentence each; empty when isolation is complete.</summary>
    public IReadOnlyList<string> Gaps => _gaps;

    /// <summary>The isolation as a short name for results, audit and metrics.</summary>
    public string IsolationName => Isolation == SandboxIsolation.Bubblewrap ? "bubblewrap" : "process";

    // The runtime's own folder is <root>/shared/Microsoft.NETCore.App/<version>/; dotnet is in <root>.
    private static string? FindDotnet()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location);
        if (runtime is null)
        {
            return null;
        }

        var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var dotnet = Path.Combine(root, "dotnet");
        return File.Exists(dotnet) ? dotnet : null;
    }

    private string? ProbeBubblewrap(string bubblewrap)
    {
        if (!File.Exists(bubblewrap))
        {
            return $"{bubblewrap} is not installed";
        }

        try
        {
            var start = new ProcessStartInfo(bubblewrap)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment.Clear();
            foreach (var argument in SandboxLaunch.BubblewrapArguments(this))
            {
                start.ArgumentList.Add(argument);
            }

            start.ArgumentList.Add(DotnetPath!);
            start.ArgumentList.Add("--list-runtimes");
            using var process = Process.Start(start)!;
            _ = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(10_000))
            {
                process.Kill(entireProcessTree: true);
                return "a test sandbox did not finish in 10 s";
            }

            var firstLine = error.Result.Split('\n', 2)[0].Trim();
            return process.ExitCode == 0 ? null : $"a test sandbox exited with {process.ExitCode}: {firstLine[..Math.Min(200, firstLine.Length)]}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"{bubblewrap} could not be started";
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Script workers run under bubblewrap with cgroup memory, pids and cpu limits.")]
    private static partial void LogIsolated(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Script sandbox DEGRADED (isolation {Isolation}): {Gaps}. See docs/workspace.md, \"Degraded modes\".")]
    private static partial void LogDegraded(ILogger logger, SandboxIsolation isolation, string gaps);

    [LoggerMessage(Level = LogLevel.Error, Message = "Script sandbox UNAVAILABLE: {Reason} run_script answers sandbox.unavailable.")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
