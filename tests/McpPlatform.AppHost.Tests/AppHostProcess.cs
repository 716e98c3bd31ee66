using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace McpPlatform.AppHost.Tests;

/// <summary>
/// Runs the AppHost the way a person does, with <c>dotnet run</c>, in its own process group,
/// so a test can send the Ctrl+C a terminal would send.
/// </summary>
internal sealed class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppHostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>dotnet run --project AppHost --no-build</c> with the given AppHost arguments.</summary>
    public static AppHostProcess Start(params string[] appHostArguments)
    {
        // setsid makes the process a group leader, so a signal to the group reaches dotnet run
        // and the AppHost together, as Ctrl+C in a terminal does.
        // perl first restores SIGINT's default disposition: a test run started in the background
        // of a non-interactive shell inherits SIGINT as *ignored* (POSIX), the ignored
        // disposition survives exec, and .NET then never sees the Ctrl+C this test sends.
        // A terminal's foreground job never starts that way. (perl-base is Essential in Debian.)
        var start = new ProcessStartInfo("perl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in (string[])["-e", "$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die \"exec $ARGV[0]: $!\\n\";", "setsid", "dotnet", "run", "--project", "AppHost", "--no-build", "-c", BuildConfiguration, "--", .. appHostArguments])
        {
            start.ArgumentList.Add(argument);
        }

        return new AppHostProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet run did not start."));
    }

    /// <summary>Runs the AppHost to completion (publish mode) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(TimeSpan timeout, params string[] appHostArguments)
    {
        await using var process = Start(appHostArguments);
        using var cancellation = new CancellationTokenSource(timeout);
        await process._process.WaitForExitAsync(cancellation.Token);
        return (process.ExitCode, process.Output);
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The AppHost did not print '{text}' (exited: {_process.HasExited}). Output:\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Sends SIGINT to the whole process group and waits for the AppHost to exit.</summary>
    public async Task InterruptAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _ = KillGroup(_process.Id, SigInt);
        }

        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Say which processes of the group were still there, and what the AppHost printed
            // last: "did not exit" alone cannot be diagnosed.
            var output = Output;
            throw new TimeoutException(
                $"The AppHost did not exit within {timeout} of SIGINT. Processes left in its group:\n{DescribeGroup(_process.Id)}\n" +
                $"Last output:\n{output[Math.Max(0, output.Length - 6000)..]}");
        }
    }

    private static string DescribeGroup(int groupLeader)
    {
        var lines = new StringBuilder();
        foreach (var (pid, commandLine) in LocalProcesses.All())
        {
            if (LocalProcesses.Stat(pid) is { } stat && stat[2] == groupLeader.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                lines.AppendLine($"  pid {pid} ppid {stat[1]} state {stat[0]}: {commandLine[..Math.Min(commandLine.Length, 300)]}");
            }
        }

        return lines.Length == 0 ? "  (none)" : lines.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = KillGroup(_process.Id, SigKill);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string BuildConfiguration =>
        typeof(AppHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private const int SigInt = 2;
    private const int SigKill = 9;

    // kill(2) with a negative pid signals the whole process group, as a terminal's Ctrl+C does.
    // False when the group is already gone, which is what the callers wanted anyway.
    private static bool KillGroup(int groupLeader, int signal) => Kill(-groupLeader, signal) == 0;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "McpPlatform.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("McpPlatform.sln not found above the test's folder.");
    }
}
