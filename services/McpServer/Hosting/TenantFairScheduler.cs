using Microsoft.Extensions.Options;

namespace McpPlatform.McpServer.Hosting;

/// <summary>
/// Runs at most <see cref="McpSchedulingOptions.Workers"/> MCP requests at once and,
/// when they are all busy, hands each freed slot to the waiting tenant with the fewest requests
/// running (ties in round-robin order), so a tenant with one waiting request is served before a
/// flooding tenant's backlog. Uncontended, a request takes a slot without waiting.
/// </summary>
public sealed class TenantFairScheduler
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<TaskCompletionSource<bool>>> _queues = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _ring = new();
    private readonly Dictionary<string, int> _runningByTenant = new(StringComparer.Ordinal);
    private readonly int _workers;
    private readonly int _maxQueued;
    private int _running;

    /// <summary>Creates the scheduler.</summary>
    /// <param name="options">Scheduling options.</param>
    public TenantFairScheduler(IOptions<McpSchedulingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _workers = Math.Max(1, options.Value.Workers);
        _maxQueued = Math.Max(1, options.Value.MaxQueuedPerTenant);
    }

    /// <summary>Requests running now.</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>
    /// Waits for a slot. Returns false when the tenant already has the maximum number of requests
    /// waiting. A true result must be paired with exactly one <see cref="Exit"/> for the same tenant.
    /// </summary>
    /// <param name="tenant">The caller's tenant (from the validated token).</param>
    /// <param name="cancellationToken">The request's abort token.</param>
    /// <returns>Whether a slot was taken.</returns>
    public async ValueTask<bool> EnterAsync(string tenant, CancellationToken cancellationToken)
    {
        TaskCompletionSource<bool> waiter;
        lock (_gate)
        {
            if (_running < _workers && _ring.Count == 0)
            {
                _running++;
                _runningByTenant[tenant] = _runningByTenant.GetValueOrDefault(tenant) + 1;
                return true;
            }

            if (!_queues.TryGetValue(tenant, out var queue))
            {
                queue = new Queue<TaskCompletionSource<bool>>();
                _queues[tenant] = queue;
            }

            if (queue.Count >= _maxQueued)
            {
                return false;
            }

            if (queue.Count == 0)
            {
                _ring.AddLast(tenant);
            }

            waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            queue.Enqueue(waiter);
        }

        // A waiter cancelled after being handed a slot still owns it: TrySetCanceled fails then,
        // the await returns true and the caller exits normally.
        await using (cancellationToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetCanceled(), waiter))
        {
            return await waiter.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Frees the tenant's slot: to the waiting tenant with the fewest running, or back to the pool.</summary>
    /// <param name="tenant">The tenant given to <see cref="EnterAsync"/>.</param>
    public void Exit(string tenant)
    {
        lock (_gate)
        {
            var left = _runningByTenant.GetValueOrDefault(tenant) - 1;
            if (left > 0)
            {
                _runningByTenant[tenant] = left;
            }
            else
            {
                _runningByTenant.Remove(tenant);
            }

            while (Next() is { } node)
            {
                var queue = _queues[node.Value];
                var waiter = queue.Dequeue();
                _ring.Remove(node);
                if (queue.Count > 0)
                {
                    _ring.AddLast(node);
                }
                else
                {
                    _queues.Remove(node.Value);
                }

                // Cancelled waiters are skipped; the slot goes on to the next one.
                if (waiter.TrySetResult(true))
                {
                    _runningByTenant[node.Value] = _runningByTenant.GetValueOrDefault(node.Value) + 1;
                    return;
                }
            }

            _running--;
        }
    }

    // The waiting tenant with the fewest running requests; the earliest in the ring on a tie.
    private LinkedListNode<string>? Next()
    {
        LinkedListNode<string>? best = null;
        var fewest = int.MaxValue;
        for (var node = _ring.First; node is not null; node = node.Next)
        {
            var running = _runningByTenant.GetValueOrDefault(node.Value);
            if (running < fewest)
            {
                (best, fewest) = (node, running);
            }
        }

        return best;
    }
}
