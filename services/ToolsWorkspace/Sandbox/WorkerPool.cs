using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>
/// The workers: a few started ahead and bound to no tenant (warm), and each tenant's own, bound
/// at their first call and never given to another tenant. A call takes the tenant's idle worker,
/// else a warm one, else starts one (evicting another tenant's idle worker when the pool is
/// full), else waits for one of its own. Broken, worn (N invocations) or swollen workers are
/// stopped, idle ones after a while; the warm set refills in the background.
/// </summary>
public sealed partial class WorkerPool : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan RetryStartAfter = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private readonly Queue<WorkerProcess> _warm = new();
    private readonly Dictionary<string, TenantWorkers> _tenants = new(StringComparer.Ordinal);
    private readonly SandboxEnvironment _environment;
    private readonly SandboxOptions _options;
    private readonly ILogger<WorkerPool> _logger;
    private readonly SandboxMetrics? _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Timer? _reaper;
    private int _total;
    private int _startingWarm;
    private int _nextId;
    private long _startBlockedUntil;

    /// <summary>Creates the pool; workers start with the host.</summary>
    /// <param name="environment">Isolation and paths.</param>
    /// <param name="options">Sizes and limits.</param>
    /// <param name="logger">Logs worker starts that fail.</param>
    /// <param name="metrics">Starts, stops and pool sizes, when the host has metrics.</param>
    public WorkerPool(SandboxEnvironment environment, IOptions<SandboxOptions> options, ILogger<WorkerPool> logger, SandboxMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _environment = environment;
        _options = options.Value;
        _logger = logger;
        _metrics = metrics;
        _metrics?.ObservePool(() => WarmCount, () => Count);
    }

    /// <summary>Workers alive or starting (for metrics and tests).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>Warm workers ready now.</summary>
    public int WarmCount
    {
        get
        {
            lock (_gate)
            {
                return _warm.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_environment.Unavailable is null)
        {
            Refill();
            _reaper = new Timer(_ => Reap(), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_reaper is not null)
        {
            await _reaper.DisposeAsync();
        }

        List<WorkerProcess> all;
        lock (_gate)
        {
            all = [.. _warm, .. _tenants.Values.SelectMany(tenant => tenant.Idle)];
            _warm.Clear();
            foreach (var tenant in _tenants.Values)
            {
                tenant.Idle.Clear();
            }
        }

        await Task.WhenAll(all.Select(worker => worker.DisposeAsync().AsTask()));
        _environment.Cgroups?.RemoveAll();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await StopAsync(CancellationToken.None);
        }

        _stopping.Dispose();
    }

    /// <summary>A worker for one call of the tenant, bound to it.</summary>
    /// <param name="tenant">The caller's tenant.</param>
    /// <param name="wait">How long to wait when the tenant already holds its maximum of busy workers or the pool is full.</param>
    /// <param name="cancellationToken">The caller gave up.</param>
    /// <returns>The worker; give it back with <see cref="Return"/>.</returns>
    /// <exception cref="SandboxUnavailableException">No worker within the wait, or none can run here.</exception>
    internal async Task<WorkerProcess> AcquireAsync(string tenant, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_environment.Unavailable is { } reason)
        {
            throw new SandboxUnavailableException(reason);
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            Task changed;
            WorkerProcess? evicted = null;
            WorkerProcess? dead = null;
            var startOwn = false;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
                var own = Tenant(tenant);
                if (own.Idle.TryPop(out var idle))
                {
                    if (!idle.HasExited)
                    {
                        return idle;
                    }

                    own.Count--;
                    _total--;
                    dead = idle;
                }
                else if (own.Count < _options.MaxWorkersPerTenant)
                {
                    if (_warm.TryDequeue(out var warm))
                    {
                        own.Count++;
                        Refill();
                        if (!warm.HasExited)
                        {
                            warm.Bind(tenant);
                            return warm;
                        }

                        own.Count--;
                        _total--;
                        dead = warm;
                    }
                    else if (_total < _options.MaxWorkers)
                    {
                        _total++;
                        own.Count++;
                        startOwn = true;
                    }
                    else if (OldestIdleOfAnother(tenant) is { } victim)
                    {
                        // The victim's place in the pool becomes this tenant's.
                        evicted = victim;
                        own.Count++;
                        startOwn = true;
                    }
                }

                changed = _changed.Task;
            }

            if (dead is not null)
            {
                _metrics?.Stopped("exited");
                await dead.DisposeAsync();
                continue;
            }

            if (startOwn)
            {
                if (evicted is not null)
                {
                    _metrics?.Stopped("evicted");
                    await evicted.DisposeAsync();
                }

                return await StartOwnAsync(tenant, cancellationToken);
            }

            var remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                throw new SandboxUnavailableException(
                    "Every script worker your tenant may hold is busy (or the pool is full); try again in a moment.");
            }

            try
            {
                await changed.WaitAsync(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency), cancellationToken);
            }
            catch (TimeoutException)
            {
                // Checked again at the top; throws there if still nothing.
            }
        }
    }

    /// <summary>Gives a worker back after a call: kept for its tenant, or stopped.</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="reuse">Whether it may serve another call (false after any fault or limit).</param>
    internal void Return(WorkerProcess worker, bool reuse)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var stop = !reuse ? "fault"
            : worker.HasExited ? "exited"
            : _stopping.IsCancellationRequested ? "shutdown"
            : worker.Invocations >= _options.InvocationsPerWorker ? "recycled"
            : worker.ResidentBytes() > (long)_options.RecycleAboveMiB * 1024 * 1024 ? "memory"
            : null;
        var keep = stop is null;
        lock (_gate)
        {
            var own = Tenant(worker.Tenant!);
            if (keep)
            {
                own.Idle.Push(worker);
            }
            else
            {
                own.Count--;
                _total--;
                Refill();
            }

            Pulse();
        }

        if (!keep)
        {
            _metrics?.Stopped(stop!);
            _ = worker.DisposeAsync().AsTask();
        }
    }

    private async Task<WorkerProcess> StartOwnAsync(string tenant, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var worker = await WorkerProcess.StartAsync(_environment, _options, NextId(), tenant, cancellationToken);
            _metrics?.Started(warm: false, ok: true, Stopwatch.GetElapsedTime(started));
            worker.Bind(tenant);
            return worker;
        }
        catch
        {
            _metrics?.Started(warm: false, ok: false, Stopwatch.GetElapsedTime(started));
            lock (_gate)
            {
                Tenant(tenant).Count--;
                _total--;
                Pulse();
            }

            throw;
        }
    }

    // Under the lock.
    private void Refill()
    {
        if (_stopping.IsCancellationRequested || Stopwatch.GetTimestamp() < Interlocked.Read(ref _startBlockedUntil))
        {
            return;
        }

        while (_warm.Count + _startingWarm < _options.WarmWorkers && _total < _options.MaxWorkers)
        {
            _startingWarm++;
            _total++;
            _ = StartWarmAsync();
        }
    }

    private async Task StartWarmAsync()
    {
        WorkerProcess? worker = null;
        var started = Stopwatch.GetTimestamp();
        try
        {
            worker = await WorkerProcess.StartAsync(_environment, _options, NextId(), tenant: null, _stopping.Token);
            _metrics?.Started(warm: true, ok: true, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception exception) when (exception is SandboxUnavailableException or OperationCanceledException)
        {
            if (!_stopping.IsCancellationRequested)
            {
                _metrics?.Started(warm: true, ok: false, Stopwatch.GetElapsedTime(started));
                LogStartFailed(_logger, exception.Message);
                Interlocked.Exchange(ref _startBlockedUntil, Stopwatch.GetTimestamp() + (long)(RetryStartAfter.TotalSeconds * Stopwatch.Frequency));
            }
        }

        var dispose = false;
        lock (_gate)
        {
            _startingWarm--;
            if (worker is null || _stopping.IsCancellationRequested)
            {
                _total--;
                dispose = worker is not null;
            }
            else
            {
                _warm.Enqueue(worker);
            }

            Pulse();
        }

        if (dispose)
        {
            await worker!.DisposeAsync();
        }
    }

    private void Reap()
    {
        var expired = new List<WorkerProcess>();
        var idleTicks = (long)_options.IdleSeconds * Stopwatch.Frequency;
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var (name, own) in _tenants.ToList())
            {
                var keep = own.Idle.Where(worker => !worker.HasExited && now - worker.IdleSince < idleTicks).Reverse().ToList();
                expired.AddRange(own.Idle.Except(keep));
                own.Count -= own.Idle.Count - keep.Count;
                _total -= own.Idle.Count - keep.Count;
                own.Idle.Clear();
                foreach (var worker in keep)
                {
                    own.Idle.Push(worker);
                }

                if (own.Count == 0)
                {
                    _tenants.Remove(name);
                }
            }

            var warm = _warm.Where(worker => !worker.HasExited).ToList();
            expired.AddRange(_warm.Except(warm));
            _total -= _warm.Count - warm.Count;
            _warm.Clear();
            foreach (var worker in warm)
            {
                _warm.Enqueue(worker);
            }

            Refill();
            Pulse();
        }

        foreach (var worker in expired)
        {
            _metrics?.Stopped(worker.HasExited ? "exited" : "idle");
            _ = worker.DisposeAsync().AsTask();
        }
    }

    // Under the lock. The idle worker of another tenant that has waited longest.
    private WorkerProcess? OldestIdleOfAnother(string tenant)
    {
        WorkerProcess? oldest = null;
        TenantWorkers? owner = null;
        foreach (var (name, own) in _tenants)
        {
            if (name == tenant)
            {
                continue;
            }

            foreach (var worker in own.Idle)
            {
                if (oldest is null || worker.IdleSince < oldest.IdleSince)
                {
                    oldest = worker;
                    owner = own;
                }
            }
        }

        if (oldest is null)
        {
            return null;
        }

        var rest = owner!.Idle.Where(worker => worker != oldest).Reverse().ToList();
        owner.Idle.Clear();
        foreach (var worker in rest)
        {
            owner.Idle.Push(worker);
        }

        owner.Count--;
        return oldest;
    }

    // Under the lock.
    private TenantWorkers Tenant(string tenant)
    {
        if (!_tenants.TryGetValue(tenant, out var own))
        {
            own = new TenantWorkers();
            _tenants[tenant] = own;
        }

        return own;
    }

    // Under the lock: wakes every waiter to look again.
    private void Pulse()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private string NextId() => "w" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A warm script worker could not be started ({Reason}); trying again in 5 s.")]
    private static partial void LogStartFailed(ILogger logger, string reason);

    private sealed class TenantWorkers
    {
        public Stack<WorkerProcess> Idle { get; } = new();

        // Idle and busy workers bound to the tenant, and those starting for it.
        public int Count { get; set; }
    }
}
