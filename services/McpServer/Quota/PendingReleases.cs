using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace McpPlatform.McpServer.Quota;

/// <summary>
/// Releases started but not yet answered. Admission does not wait for them (the release's
/// round trip is off the response path); stopping the host does, so a graceful shutdown
/// settles every call's usage.
/// </summary>
public sealed partial class PendingReleases(ILogger<PendingReleases> logger) : IHostedService
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private int _pending;
    private TaskCompletionSource? _drained;

    /// <summary>Releases in flight now.</summary>
    public int Count => Volatile.Read(ref _pending);

    /// <summary>Follows a release until it completes; never throws.</summary>
    /// <param name="release">The release (which itself never throws for quota outcomes).</param>
    public void Track(Task<bool> release)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (release.IsCompleted)
        {
            Observe(release);
            return;
        }

        Interlocked.Increment(ref _pending);
        release.ContinueWith(static (task, state) => ((PendingReleases)state!).Completed(task),
            this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task drained;
        lock (_gate)
        {
            if (_pending == 0)
            {
                return;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            drained = _drained.Task;
        }

        try
        {
            await drained.WaitAsync(DrainLimit, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            LogDrainIncomplete(logger, Count);
        }
    }

    private void Completed(Task<bool> release)
    {
        Observe(release);
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            lock (_gate)
            {
                _drained?.TrySetResult();
            }
        }
    }

    private void Observe(Task<bool> release)
    {
        if (release.IsFaulted)
        {
            LogReleaseFailed(logger, release.Exception.GetBaseException());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A quota release failed; its lease expires by itself.")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping with {Count} quota releases unanswered; their leases expire by themselves.")]
    private static partial void LogDrainIncomplete(ILogger logger, int count);
}
