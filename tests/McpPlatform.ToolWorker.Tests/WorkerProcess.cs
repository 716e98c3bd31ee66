using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using McpPlatform.ToolWorker.Protocol;

namespace McpPlatform.ToolWorker.Tests;

/// <summary>
/// A real worker process started as tools-workspace starts it (<c>dotnet toolworker/McpPlatform.ToolWorker.dll</c>,
/// an empty environment but for DOTNET_* settings), with the test playing the host over its pipes.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private WorkerProcess(Process process)
    {
        _process = process;
        _stdoutPump = Task.Run(PumpStdoutAsync);
        _stderrPump = Task.Run(async () => _stderr.Append(await process.StandardError.ReadToEndAsync()));
    }

    /// <summary>Every line the worker wrote to stdout so far.</summary>
    public List<string> Stdout { get; } = [];

    /// <summary>Starts a worker and waits for its "ready".</summary>
    public static async Task<WorkerProcess> StartAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Dotnet(), [Path.Combine(AppContext.BaseDirectory, "toolworker", "McpPlatform.ToolWorker.dll")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        start.Environment.Clear();
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var worker = new WorkerProcess(Process.Start(start)!);
        (await worker.ReadAsync()).Type.ShouldBe("ready");
        return worker;
    }

    /// <summary>Writes one line (a newline is added) as UTF-8 without BOM.</summary>
    public async Task WriteLineAsync(string line)
    {
        var stdin = _process.StandardInput.BaseStream;
        await stdin.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
        await stdin.FlushAsync();
    }

    /// <summary>Writes a host message.</summary>
    public Task SendAsync(HostMessage message) =>
        WriteLineAsync(JsonSerializer.Serialize(message, ToolWorkerJsonContext.Default.HostMessage));

    /// <summary>Sends a run and returns the next line (a "fetch" or its "done").</summary>
    public async Task<WorkerMessage> RunAsync(string script, string? inputJson = null, RunLimits? limits = null, string id = "run-1")
    {
        var input = inputJson is null ? (JsonElement?)null : JsonDocument.Parse(inputJson).RootElement.Clone();
        await SendAsync(new HostMessage("run", Id: id, Script: script, Input: input, Limits: limits ?? Limits()));
        return await ReadAsync();
    }

    /// <summary>The limits the tests run with unless they say otherwise.</summary>
    public static RunLimits Limits(long maxStatements = 1_000_000, int maxRecursion = 200, int maxOutputBytes = 1024 * 1024, int maxFetches = 5) =>
        new(maxStatements, maxRecursion, maxOutputBytes, maxFetches);

    /// <summary>The next line the worker writes, parsed.</summary>
    public async Task<WorkerMessage> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(_timeout);
        var line = await _lines.Reader.ReadAsync(timeout.Token);
        return JsonSerializer.Deserialize(line, ToolWorkerJsonContext.Default.WorkerMessage)!;
    }

    /// <summary>Closes stdin if asked and waits for the exit code.</summary>
    public async Task<int> ExitCodeAsync(bool closeStdin = false)
    {
        if (closeStdin)
        {
            _process.StandardInput.Close();
        }

        using var timeout = new CancellationTokenSource(_timeout);
        await _process.WaitForExitAsync(timeout.Token);
        await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>What the worker wrote to stderr (only complete after <see cref="ExitCodeAsync"/>).</summary>
    public string Stderr => _stderr.ToString();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    // The host runs the machine's dotnet; the test host's process is dotnet itself, or its
    // apphost, in which case the muxer sits three folders above the shared runtime.
    private static string Dotnet()
    {
        var current = Environment.ProcessPath!;
        if (Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        return Path.Combine(root, "dotnet");
    }

    private async Task PumpStdoutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (Stdout)
            {
                Stdout.Add(line);
            }

            await _lines.Writer.WriteAsync(line);
        }

        _lines.Writer.Complete();
    }
}
