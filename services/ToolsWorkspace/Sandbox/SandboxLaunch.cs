using System.Diagnostics;
using System.Globalization;

namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>
/// How a worker process is started. A small /bin/sh step enters the worker's cgroups and sets
/// its rlimits before it execs bubblewrap (or, degraded, the worker itself), so the limits hold
/// from the first instruction and no race with a later move exists.
/// </summary>
internal static class SandboxLaunch
{
    // The only variables a worker sees: runtime settings, never secrets or service configuration.
    private const string Script =
        "if [ -n \"$1\" ]; then echo $$ > \"$1\" && echo $$ > \"$2\" || exit 97; fi; " +
        "if [ -n \"$3\" ]; then echo $$ > \"$3\" || exit 97; fi; " +
        "ulimit -c 0 && ulimit -t \"$4\" && ulimit -n 256 && ulimit -f 32768 || exit 98; " +
        "shift 4; unset PWD; exec \"$@\"";

    /// <summary>The arguments of bubblewrap up to (not including) the command.</summary>
    /// <param name="environment">Where dotnet and the worker are.</param>
    /// <returns>The arguments.</returns>
    public static IEnumerable<string> BubblewrapArguments(SandboxEnvironment environment)
    {
        List<string> arguments =
        [
            "--unshare-all", "--die-with-parent", "--new-session", "--clearenv", "--cap-drop", "ALL",
            "--uid", "65534", "--gid", "65534", "--hostname", "toolworker",
            "--ro-bind", "/usr", "/usr",
        ];
        foreach (var link in new[] { "lib", "lib64", "bin", "sbin" })
        {
            // Merged-/usr hosts (Debian 12, the .NET images) link these into /usr; others have folders.
            var path = "/" + link;
            var target = new FileInfo(path).LinkTarget;
            if (target is not null)
            {
                arguments.AddRange(["--symlink", target, path]);
            }
            else if (Directory.Exists(path))
            {
                arguments.AddRange(["--ro-bind", path, path]);
            }
        }

        var dotnetRoot = Path.GetDirectoryName(environment.DotnetPath);
        if (dotnetRoot is not null && !dotnetRoot.StartsWith("/usr/", StringComparison.Ordinal))
        {
            arguments.AddRange(["--ro-bind", dotnetRoot, dotnetRoot]);
        }

        arguments.AddRange(
        [
            "--ro-bind", environment.WorkerFolder, SandboxEnvironment.SandboxWorkerFolder,
            "--proc", "/proc", "--dev", "/dev",
            "--size", (16 * 1024 * 1024).ToString(CultureInfo.InvariantCulture), "--tmpfs", "/tmp",
            "--remount-ro", "/",
            "--chdir", SandboxEnvironment.SandboxWorkerFolder,
        ]);
        foreach (var (name, value) in RuntimeSettings(heapBytes: null))
        {
            arguments.AddRange(["--setenv", name, value]);
        }

        arguments.Add("--");
        return arguments;
    }

    /// <summary>The start of one worker process.</summary>
    /// <param name="environment">Where dotnet and the worker are, and the isolation.</param>
    /// <param name="options">Limits.</param>
    /// <param name="workerId">The worker's id, in its command line so operators can tell workers apart.</param>
    /// <param name="cgroupProcs">The cgroup files to enter, or null.</param>
    /// <returns>The start info (empty environment, redirected pipes).</returns>
    public static ProcessStartInfo StartInfo(SandboxEnvironment environment, SandboxOptions options, string workerId, (string Memory, string Pids, string? Cpu)? cgroupProcs)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
            WorkingDirectory = environment.WorkerFolder,
        };
        start.Environment.Clear();
        var heapBytes = (long)options.MemoryMiB * 1024 * 1024;
        // The worker's CPU rlimit is a backstop for its whole life; the host enforces the per-call budget.
        var lifetimeCpu = (long)Math.Ceiling(options.CpuSeconds * options.InvocationsPerWorker) + 30;
        foreach (var argument in new[] { "-c", Script, "sh", cgroupProcs?.Memory ?? string.Empty, cgroupProcs?.Pids ?? string.Empty, cgroupProcs?.Cpu ?? string.Empty, lifetimeCpu.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        string workerDll;
        if (environment.Isolation == SandboxIsolation.Bubblewrap)
        {
            start.ArgumentList.Add(options.BubblewrapPath);
            foreach (var argument in BubblewrapArguments(environment))
            {
                start.ArgumentList.Add(argument);
            }

            // The heap limit is per configuration: set after the fixed runtime settings.
            start.ArgumentList.Insert(start.ArgumentList.Count - 1, "--setenv");
            start.ArgumentList.Insert(start.ArgumentList.Count - 1, "DOTNET_GCHeapHardLimit");
            start.ArgumentList.Insert(start.ArgumentList.Count - 1, heapBytes.ToString("x", CultureInfo.InvariantCulture));
            workerDll = SandboxEnvironment.SandboxWorkerFolder + "/" + SandboxEnvironment.WorkerAssemblyName;
        }
        else
        {
            foreach (var (name, value) in RuntimeSettings(heapBytes))
            {
                start.Environment[name] = value;
            }

            workerDll = Path.Combine(environment.WorkerFolder, SandboxEnvironment.WorkerAssemblyName);
        }

        start.ArgumentList.Add(environment.DotnetPath!);
        start.ArgumentList.Add(workerDll);
        start.ArgumentList.Add("--worker");
        start.ArgumentList.Add(workerId);
        return start;
    }

    private static IEnumerable<(string Name, string Value)> RuntimeSettings(long? heapBytes)
    {
        // No diagnostics IPC socket or debugger/profiler attach, no telemetry, no first-run files.
        yield return ("DOTNET_EnableDiagnostics", "0");
        yield return ("DOTNET_CLI_TELEMETRY_OPTOUT", "1");
        yield return ("DOTNET_NOLOGO", "1");
        if (heapBytes is { } bytes)
        {
            yield return ("DOTNET_GCHeapHardLimit", bytes.ToString("x", CultureInfo.InvariantCulture));
        }
    }
}
