using McpPlatform.ToolsWorkspace.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpPlatform.ToolsWorkspace.Tests.Sandbox;

/// <summary>The pool with real workers: warm start, one tenant per worker for life, the per-tenant cap, recycling.</summary>
public sealed class WorkerPoolTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Acquire_TakesAWarmWorker_BindsItForLife_AndReusesItForTheSameTenantOnly()
    {
        await using var pool = await StartAsync(new SandboxOptions { WarmWorkers = 1, MaxWorkers = 4, MaxWorkersPerTenant = 2 });
        await WaitForWarmAsync(pool, 1);

        var first = await pool.AcquireAsync("contoso", TimeSpan.FromSeconds(5), Cancel);
        first.Tenant.ShouldBe("contoso");
        Should.Throw<InvalidOperationException>(() => first.Bind("fabrikam"));
        pool.Return(first, reuse: true);

        (await pool.AcquireAsync("contoso", TimeSpan.FromSeconds(5), Cancel)).ShouldBeSameAs(first);
        var other = await pool.AcquireAsync("fabrikam", TimeSpan.FromSeconds(5), Cancel);
        other.ShouldNotBeSameAs(first);
        other.Tenant.ShouldBe("fabrikam");
        pool.Return(first, reuse: true);
        pool.Return(other, reuse: true);
    }

    [Fact]
    public async Task Acquire_TenantAtItsCap_WaitsThenSaysUnavailable_WhileAnotherTenantGetsOne()
    {
        await using var pool = await StartAsync(new SandboxOptions { WarmWorkers = 0, MaxWorkers = 4, MaxWorkersPerTenant = 1 });

        var held = await pool.AcquireAsync("contoso", TimeSpan.FromSeconds(5), Cancel);
        await Should.ThrowAsync<SandboxUnavailableException>(() => pool.AcquireAsync("contoso", TimeSpan.FromMilliseconds(300), Cancel));
        var fabrikam = await pool.AcquireAsync("fabrikam", TimeSpan.FromSeconds(5), Cancel);

        // A waiter gets the worker as soon as it is returned.
        var waiting = pool.AcquireAsync("contoso", TimeSpan.FromSeconds(5), Cancel);
        pool.Return(held, reuse: true);
        (await waiting).ShouldBeSameAs(held);
        pool.Return(held, reuse: true);
        pool.Return(fabrikam, reuse: true);
    }

    [Fact]
    public async Task Return_NotReusable_StopsTheWorker_AndTheNextCallGetsANewOne()
    {
        await using var pool = await StartAsync(new SandboxOptions { WarmWorkers = 1, MaxWorkers = 2, MaxWorkersPerTenant = 1 });

        var worker = await pool.AcquireAsync("contoso", TimeSpan.FromSeconds(5), Cancel);
        pool.Return(worker, reuse: false);
        var next = await pool.AcquireAsync("contoso", TimeSpan.FromSeconds(10), Cancel);

        next.ShouldNotBeSameAs(worker);
        for (var i = 0; i < 100 && !worker.HasExited; i++)
        {
            await Task.Delay(20, Cancel);
        }

        worker.HasExited.ShouldBeTrue();
        pool.Return(next, reuse: true);
    }

    private static async Task<WorkerPool> StartAsync(SandboxOptions options)
    {
        var environment = TestSandbox.Environment(options);
        var pool = new WorkerPool(environment, Options.Create(options), NullLogger<WorkerPool>.Instance);
        await pool.StartAsync(Cancel);
        return pool;
    }

    private static async Task WaitForWarmAsync(WorkerPool pool, int count)
    {
        for (var i = 0; i < 1200 && pool.WarmCount < count; i++)
        {
            await Task.Delay(25, Cancel);
        }

        pool.WarmCount.ShouldBe(count);
    }
}
