using System.Diagnostics.Metrics;
using McpPlatform.ToolsWorkspace.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpPlatform.ToolsWorkspace.Tests.Sandbox;

/// <summary>The pool with real workers: warm start, one tenant per worker for life, the per-tenant cap, recycling.</summary>
[Collection(SandboxWorkersGroup.Name)]
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

    [Fact]
    public async Task Metrics_CountStartsAndStopsByReason_AndObserveThePool()
    {
        using var meters = new MeterFactory();
        var metrics = new SandboxMetrics(meters);
        var measurements = new List<(string Instrument, double Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SandboxMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.Start();
        await using var pool = await StartAsync(new SandboxOptions { WarmWorkers = 1, MaxWorkers = 2, MaxWorkersPerTenant = 1 }, metrics);
        await WaitForWarmAsync(pool, 1);

        var worker = await pool.AcquireAsync("contoso", TimeSpan.FromSeconds(5), Cancel);
        pool.Return(worker, reuse: false);
        await WaitForWarmAsync(pool, 1);
        listener.RecordObservableInstruments();

        lock (measurements)
        {
            measurements.ShouldContain(m => m.Instrument == SandboxMetrics.StartsInstrument && m.Tags.Contains("kind=warm") && m.Tags.Contains("outcome=ok"));
            measurements.Count(m => m.Instrument == SandboxMetrics.StartDurationInstrument).ShouldBeGreaterThanOrEqualTo(2);
            measurements.ShouldContain(m => m.Instrument == SandboxMetrics.StopsInstrument && m.Tags == "reason=fault");
            measurements.ShouldContain(m => m.Instrument == SandboxMetrics.WorkersInstrument && m.Tags == "state=warm" && m.Value == 1);
        }

        void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var text = string.Join(",", tags.ToArray().Select(tag => $"{tag.Key}={tag.Value}"));
            lock (measurements)
            {
                measurements.Add((instrument.Name, value, text));
            }
        }
    }

    private static async Task<WorkerPool> StartAsync(SandboxOptions options, SandboxMetrics? metrics = null)
    {
        var environment = TestSandbox.Environment(options);
        var pool = new WorkerPool(environment, Options.Create(options), NullLogger<WorkerPool>.Instance, metrics);
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

    private sealed class MeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}
