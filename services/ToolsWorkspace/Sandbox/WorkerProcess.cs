using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using McpPlatform.ToolWorker.Protocol;

namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>
/// One worker process and its pipes: started (warm) before it is needed, bound to one tenant at
/// its first call and never to another, one call at a time. The host reads its CPU time and
/// memory from /proc and kills it when a limit is passed; it never trusts the worker to stop.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly Process _process;
    private readonly PipeReader _stdout;
    private readonly Stream _stdin;
    private readonly WorkerCgroups? _cgroups;
    private readonly Task _stderr;
    private readonly char[] _stderrHead = new char[4096];
    private int _stderrLength;
    private int _disposed;

    private WorkerProcess(string id, Process process, WorkerCgroups? cgroups)
    {
        Id = id;
        _process = process;
        _cgroups = cgroups;
        _stdin = process.StandardInput.BaseStream;
        _stdout = PipeReader.Create(process.StandardOutput.BaseStream, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        _stderr = DrainStderrAsync();
        Pid = process.Id;
    }

    /// <summary>The worker's id (in its command line, its cgroup names and call results).</summary>
    public string Id { get; }

    /// <summary>The worker's own pid on the host (inside bubblewrap: the dotnet process, not bwrap).</summary>
    public int Pid { get; private set; }

    /// <summary>The tenant it serves, once bound.</summary>
    public string? Tenant { get; private set; }

    /// <summary>Calls it has served.</summary>
    public int Invocations { get; private set; }

    /// <summary>When it last finished a call (or started).</summary>
    public long IdleSince { get; private set; } = Stopwatch.GetTimestamp();

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => Volatile.Read(ref _disposed) == 1 || _process.HasExited;

    /// <summary>Starts a worker and waits until it says it is ready.</summary>
    /// <param name="environment">Isolation and paths.</param>
    /// <param name="options">Limits.</param>
    /// <param name="id">The worker's id.</param>
    /// <param name="tenant">The tenant it is started for (its CPU is that tenant's from the start), or null for a warm worker.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>The ready worker.</returns>
    /// <exception cref="SandboxUnavailableException">It did not start or did not become ready.</exception>
    public static async Task<WorkerProcess> StartAsync(SandboxEnvironment environment, SandboxOptions options, string id, string? tenant, CancellationToken cancellationToken)
    {
        var cgroups = environment.Cgroups;
        (string, string, string?)? procs = null;
        if (cgroups is not null)
        {
            try
            {
                procs = cgroups.CreateWorker(id, ((long)options.MemoryMiB + options.RuntimeOverheadMiB) * 1024 * 1024, options.MaxProcesses, tenant);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new SandboxUnavailableException("The worker's cgroup could not be created.");
            }
        }

        Process process;
        try
        {
            process = Process.Start(SandboxLaunch.StartInfo(environment, options, id, procs))
                ?? throw new SandboxUnavailableException("The worker process could not be started.");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            cgroups?.RemoveWorker(id);
            throw new SandboxUnavailableException("The worker process could not be started.");
        }

        var worker = new WorkerProcess(id, process, cgroups);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ReadyTimeout);
            var ready = await worker.ReadMessageAsync(64 * 1024, timeout.Token);
            if (ready?.Type != "ready")
            {
                throw new SandboxUnavailableException("The worker process exited before it was ready.");
            }

            worker.Pid = environment.Isolation == SandboxIsolation.Bubblewrap ? ProcessTree.Deepest(process.Id) : process.Id;
            return worker;
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or JsonException or InvalidDataException)
        {
            await worker.DisposeAsync();
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new SandboxUnavailableException("The worker process did not become ready.");
        }
        catch (SandboxUnavailableException)
        {
            await worker.DisposeAsync();
            throw;
        }
    }

    /// <summary>Binds the worker to its tenant for the rest of its life.</summary>
    /// <param name="tenant">The tenant.</param>
    public void Bind(string tenant)
    {
        if (Tenant is not null)
        {
            throw new InvalidOperationException("A worker serves one tenant for its whole life.");
        }

        Tenant = tenant;
        _cgroups?.JoinTenant(tenant, Pid);
    }

    /// <summary>Runs one script: sends it, answers its fetches, and watches its limits.</summary>
    /// <param name="run">The run message.</param>
    /// <param name="limits">Wall clock and CPU of this call, and the output cap.</param>
    /// <param name="fetch">Answers one <c>http.fetch</c> of the script (the host's egress broker).</param>
    /// <param name="cancellationToken">The caller gave up: the worker is killed.</param>
    /// <returns>How the run ended and what it used.</returns>
    public async Task<WorkerRun> RunAsync(HostMessage run, CallLimits limits, Func<WorkerMessage, CancellationToken, Task<HostMessage>> fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(fetch);
        Invocations++;
        ResetPeakMemory();
        var cpuBefore = CpuTime();
        var failuresBefore = _cgroups?.MemoryFailures(Id) ?? 0;
        var started = Stopwatch.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = new Watchdog();
        var watching = WatchAsync(watch, limits, cpuBefore, started, stop.Token);
        WorkerMessage? done = null;
        string? brokenBy = null;
        try
        {
            await WriteAsync(run, stop.Token);
            while (true)
            {
                var message = await ReadMessageAsync(limits.MaxLineBytes, stop.Token);
                if (message is null)
                {
                    break;
                }

                if (message.Type == "fetch")
                {
                    await WriteAsync(await fetch(message, stop.Token), stop.Token);
                    continue;
                }

                if (message.Type == "done" && message.Id == run.Id)
                {
                    done = message;
                    break;
                }

                brokenBy = "protocol";
                break;
            }
        }
        catch (InvalidDataException)
        {
            brokenBy = "output";
        }
        catch (Exception exception) when (exception is IOException or JsonException or ObjectDisposedException)
        {
            // The pipes broke: the worker died, or the watchdog killed it.
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The watchdog stopped the run.
        }
        finally
        {
            await stop.CancelAsync();
            await watching;
        }

        var wall = Stopwatch.GetElapsedTime(started);
        // A killed worker's /proc entry is gone: then the watchdog's last reading is the figure.
        var cpu = HasExited ? watch.Cpu : Max(CpuTime() - cpuBefore, watch.Cpu);
        var peak = PeakMemoryBytes();
        IdleSince = Stopwatch.GetTimestamp();
        cancellationToken.ThrowIfCancellationRequested();
        if (done is not null && watch.Reason is null)
        {
            return new WorkerRun(done, null, wall, cpu, peak);
        }

        if (brokenBy is not null || watch.Reason is null)
        {
            Kill();
        }

        await WaitForExitAsync();
        var ended = watch.Reason ?? brokenBy switch
        {
            "output" => WorkerEnd.OutputLimit,
            _ when (_cgroups?.MemoryFailures(Id) ?? 0) > failuresBefore || StderrSaysOutOfMemory() => WorkerEnd.MemoryLimit,
            _ => WorkerEnd.Crashed,
        };
        return new WorkerRun(null, ended, wall, cpu, peak);
    }

    /// <summary>Resident memory now, in bytes (0 when unknown).</summary>
    /// <returns>The bytes.</returns>
    public long ResidentBytes() => StatusKiB("VmRSS:") * 1024;

    /// <summary>Kills the worker (and bubblewrap around it) at once.</summary>
    public void Kill()
    {
        try
        {
            if (Pid != _process.Id)
            {
                using var inner = Process.GetProcessById(Pid);
                inner.Kill();
            }
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }

        try
        {
            // bubblewrap's own init and the worker die with it (--die-with-parent, PID namespace).
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception exception) when (exception is AggregateException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or a descendant went between the tree walk and its kill.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Kill();
        await WaitForExitAsync();
        await _stdout.CompleteAsync();
        try
        {
            await _stderr;
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            // The pipe closed with the process.
        }

        _process.Dispose();
        _cgroups?.RemoveWorker(Id);
    }

    private async Task WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    private async Task WatchAsync(Watchdog watch, CallLimits limits, TimeSpan cpuBefore, long started, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(limits.CheckInterval, cancellationToken);
                watch.Cpu = Max(CpuTime() - cpuBefore, watch.Cpu);
                if (Stopwatch.GetElapsedTime(started) > limits.WallClock)
                {
                    watch.Reason = WorkerEnd.Timeout;
                }
                else if (watch.Cpu > limits.Cpu)
                {
                    watch.Reason = WorkerEnd.CpuLimit;
                }

                if (watch.Reason is not null)
                {
                    Kill();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private async Task WriteAsync(HostMessage message, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, ToolWorkerJsonContext.Default.HostMessage);
        await _stdin.WriteAsync(bytes, cancellationToken);
        await _stdin.WriteAsync(NewLine, cancellationToken);
        await _stdin.FlushAsync(cancellationToken);
    }

    // One protocol line, at most maxBytes long (longer: InvalidDataException); null at end of stream.
    private async Task<WorkerMessage?> ReadMessageAsync(int maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _stdout.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is { } end)
            {
                var line = buffer.Slice(0, end);
                if (line.Length > maxBytes)
                {
                    _stdout.AdvanceTo(buffer.Start, buffer.End);
                    throw new InvalidDataException("The worker wrote a line over the output limit.");
                }

                var reader = new Utf8JsonReader(line);
                var message = JsonSerializer.Deserialize(ref reader, ToolWorkerJsonContext.Default.WorkerMessage);
                _stdout.AdvanceTo(buffer.GetPosition(1, end));
                return message ?? throw new JsonException("An empty protocol line.");
            }

            if (buffer.Length > maxBytes)
            {
                _stdout.AdvanceTo(buffer.Start, buffer.End);
                throw new InvalidDataException("The worker wrote a line over the output limit.");
            }

            if (result.IsCompleted)
            {
                _stdout.AdvanceTo(buffer.End);
                return null;
            }

            _stdout.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    // Keeps the first 4 KiB of stderr (enough to recognise the runtime's out-of-memory message)
    // and drops the rest: it may carry the tenant's data, so it is never logged.
    private async Task DrainStderrAsync()
    {
        var buffer = new char[4096];
        int read;
        while ((read = await _process.StandardError.ReadAsync(buffer)) > 0)
        {
            var keep = Math.Min(read, _stderrHead.Length - _stderrLength);
            if (keep > 0)
            {
                buffer.AsSpan(0, keep).CopyTo(_stderrHead.AsSpan(_stderrLength));
                _stderrLength += keep;
            }
        }
    }

    private bool StderrSaysOutOfMemory() =>
        _stderrHead.AsSpan(0, _stderrLength).IndexOf("OutOfMemory", StringComparison.Ordinal) >= 0
        || _stderrHead.AsSpan(0, _stderrLength).IndexOf("Out of memory", StringComparison.OrdinalIgnoreCase) >= 0;

    // utime + stime of the worker (all its threads), from /proc/<pid>/stat, in clock ticks of 10 ms.
    private TimeSpan CpuTime()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
        catch (Exception exception) when (exception is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return TimeSpan.Zero;
        }
    }

    // "5" to clear_refs resets the peak resident set (VmHWM) to the current one.
    private void ResetPeakMemory()
    {
        try
        {
            File.WriteAllText($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/clear_refs", "5");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Then the peak is the process's lifetime peak: still an upper bound.
        }
    }

    private long PeakMemoryBytes() => StatusKiB("VmHWM:") * 1024;

    private long StatusKiB(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or FormatException or UnauthorizedAccessException)
        {
            // Gone.
        }

        return 0;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class Watchdog
    {
        public WorkerEnd? Reason { get; set; }

        public TimeSpan Cpu { get; set; }
    }
}
