using McpPlatform.McpServer.Hosting;
using Microsoft.Extensions.Options;

namespace McpPlatform.McpServer.Tests;

public sealed class TenantFairSchedulerTests
{
    private static readonly string[] s_waiters = ["a", "a", "a", "b", "b", "b"];
    private static readonly string[] s_exitOrder = ["a", "a", "b", "a"];

    private static TenantFairScheduler Create(int workers, int maxQueued = 1024) =>
        new(Options.Create(new McpSchedulingOptions { Workers = workers, MaxQueuedPerTenant = maxQueued }));

    [Fact]
    public async Task Enter_UnderWorkers_RunsWithoutWaiting()
    {
        var scheduler = Create(2);

        (await scheduler.EnterAsync("a", TestContext.Current.CancellationToken)).ShouldBeTrue();
        (await scheduler.EnterAsync("b", TestContext.Current.CancellationToken)).ShouldBeTrue();

        scheduler.Running.ShouldBe(2);
    }

    [Fact]
    public async Task Exit_FloodingTenantBacklog_NextSlotGoesToOtherTenantFirst()
    {
        var scheduler = Create(2);
        (await scheduler.EnterAsync("flood", TestContext.Current.CancellationToken)).ShouldBeTrue();
        (await scheduler.EnterAsync("flood", TestContext.Current.CancellationToken)).ShouldBeTrue();
        var floodBacklog = Enumerable.Range(0, 5).Select(_ => scheduler.EnterAsync("flood", TestContext.Current.CancellationToken).AsTask()).ToList();
        var other = scheduler.EnterAsync("steady", TestContext.Current.CancellationToken).AsTask();

        scheduler.Exit("flood");
        (await other.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).ShouldBeTrue();
        floodBacklog.Count(task => task.IsCompleted).ShouldBe(0, "the steady tenant's one request overtakes the flood's backlog");

        // With only the flood left waiting, its requests run one per freed slot.
        scheduler.Exit("steady");
        (await GrantedAsync(floodBacklog, 1)).ShouldBe(1);
        for (var i = 1; i < floodBacklog.Count; i++)
        {
            scheduler.Exit("flood");
            (await GrantedAsync(floodBacklog, i + 1)).ShouldBe(i + 1);
        }

        scheduler.Exit("flood");
        scheduler.Exit("flood");
        scheduler.Running.ShouldBe(0);
    }

    [Fact]
    public async Task Exit_TwoWaitingTenants_AlternatesBetweenThem()
    {
        var scheduler = Create(1);
        (await scheduler.EnterAsync("x", TestContext.Current.CancellationToken)).ShouldBeTrue();
        var pending = s_waiters
            .Select(tenant => (Tenant: tenant, Entered: scheduler.EnterAsync(tenant, TestContext.Current.CancellationToken).AsTask()))
            .ToList();
        var order = new List<string>();

        var holder = "x";
        for (var i = 0; i < 6; i++)
        {
            scheduler.Exit(holder);
            await Task.WhenAny(pending.Select(p => p.Entered)).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
            var granted = pending.Where(p => p.Entered.IsCompleted).ToList();
            granted.Count.ShouldBe(1, "one freed slot admits exactly one waiter");
            order.Add(granted[0].Tenant);
            holder = granted[0].Tenant;
            pending.Remove(granted[0]);
        }

        order.ShouldBe(["a", "b", "a", "b", "a", "b"]);
    }

    [Fact]
    public async Task Enter_CancelledWhileWaiting_SlotPassesToNextWaiter()
    {
        var scheduler = Create(1);
        (await scheduler.EnterAsync("a", TestContext.Current.CancellationToken)).ShouldBeTrue();
        using var abort = new CancellationTokenSource();
        var cancelled = scheduler.EnterAsync("b", abort.Token).AsTask();
        var next = scheduler.EnterAsync("c", TestContext.Current.CancellationToken).AsTask();

        await abort.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => cancelled);
        scheduler.Exit("a");

        (await next.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).ShouldBeTrue();
        scheduler.Running.ShouldBe(1);
        scheduler.Exit("c");
        scheduler.Running.ShouldBe(0);
    }

    [Fact]
    public async Task Enter_TenantQueueFull_IsRefusedWhileOthersStillQueue()
    {
        var scheduler = Create(1, maxQueued: 2);
        (await scheduler.EnterAsync("a", TestContext.Current.CancellationToken)).ShouldBeTrue();
        var queued = new[] { scheduler.EnterAsync("a", TestContext.Current.CancellationToken).AsTask(), scheduler.EnterAsync("a", TestContext.Current.CancellationToken).AsTask() };

        (await scheduler.EnterAsync("a", TestContext.Current.CancellationToken)).ShouldBeFalse();
        var other = scheduler.EnterAsync("b", TestContext.Current.CancellationToken).AsTask();
        other.IsCompleted.ShouldBeFalse();

        // Exits in the order slots are handed out: a's first waiter (a ties with b at zero running
        // and queued first), then b, then a's second.
        foreach (var tenant in s_exitOrder)
        {
            scheduler.Exit(tenant);
        }

        await Task.WhenAll(queued.Append(other)).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        scheduler.Running.ShouldBe(0);
    }

    [Fact]
    public async Task EnterExit_ManyConcurrentCallers_NeverMoreThanWorkersRunning()
    {
        var scheduler = Create(3);
        var running = 0;
        var peak = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = TestContext.Current.CancellationToken }, async (i, token) =>
        {
            var tenant = i % 3 == 0 ? "b" : "a";
            (await scheduler.EnterAsync(tenant, token)).ShouldBeTrue();
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Yield();
            Interlocked.Decrement(ref running);
            scheduler.Exit(tenant);
        });

        peak.ShouldBeLessThanOrEqualTo(3);
        scheduler.Running.ShouldBe(0);
    }

    // Continuations run asynchronously: wait (bounded) until at least `expected` were granted.
    private static async Task<int> GrantedAsync(List<Task<bool>> entries, int expected)
    {
        for (var attempt = 0; attempt < 500 && entries.Count(task => task.IsCompletedSuccessfully) < expected; attempt++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        return entries.Count(task => task.IsCompletedSuccessfully);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
