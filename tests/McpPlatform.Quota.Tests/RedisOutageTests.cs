using McpPlatform.Core;
using McpPlatform.Core.Quota;
using McpPlatform.Quota.Engine;
using McpPlatform.Quota.Tests.Support;

namespace McpPlatform.Quota.Tests;

/// <summary>Stops and restarts its own redis-server, so it has a fixture of its own.</summary>
public sealed class RedisOutageTests(ProductionQuotaRedisServer redis) : IClassFixture<ProductionQuotaRedisServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Admit_RedisStoppedMidRunThenBack_DeniesUnavailableThenResumesWithoutRestart()
    {
        await redis.WaitForClientAsync();
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TenantConcurrency = 50 }));
        var tenant = Engines.NewTenant("contoso");
        (await engine.AdmitAsync(Engines.Input(tenant))).Granted.ShouldBeTrue();

        try
        {
            await redis.StopAsync();

            // Calls in flight while Redis goes away and calls after: every one is a decision, none throws or hangs.
            var during = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => engine.AdmitAsync(Engines.Input(tenant)))).WaitAsync(Bound, TestContext.Current.CancellationToken);
            during.ShouldAllBe(r => !r.Granted && r.Denial!.Code == ReasonCodes.Unavailable && r.Denial.RetryAfterSeconds == 1);
            await Should.ThrowAsync<QuotaUnavailableException>(() =>
                engine.ReleaseAsync(new LeaseHandle(Guid.NewGuid().ToString("N"), 1, tenant, "agent-1"), QuotaUsage.None).WaitAsync(Bound, TestContext.Current.CancellationToken));
            await Should.ThrowAsync<QuotaUnavailableException>(() => engine.GetUsageAsync(tenant, tenant).WaitAsync(Bound, TestContext.Current.CancellationToken));
        }
        finally
        {
            await redis.StartAsync();
        }

        // The multiplexer reconnects by itself; a restarted Redis has lost its script cache, so the
        // first admit also exercises the NOSCRIPT → EVAL path.
        var deadline = DateTime.UtcNow + RecoveryBound;
        var resumed = default(EngineDecision);
        while (DateTime.UtcNow < deadline)
        {
            resumed = await engine.AdmitAsync(Engines.Input(tenant)).WaitAsync(Bound, TestContext.Current.CancellationToken);
            if (resumed.Granted)
            {
                break;
            }

            resumed.Denial!.Code.ShouldBe(ReasonCodes.Unavailable);
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        resumed.Granted.ShouldBeTrue();
    }

    [Fact]
    public async Task Admit_TimesOutButRanInRedisAfterwards_ItsLeaseIsReleasedNotLeftToExpire()
    {
        await redis.WaitForClientAsync();
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TenantConcurrency = 50, LeaseTtlSeconds = 120 }));
        var tenant = Engines.NewTenant("contoso");
        await using var admin = await redis.ConnectAdminAsync();
        // Loaded once: a timed-out EVALSHA of a script Redis does not know would only get NOSCRIPT.
        var warm = await engine.AdmitAsync(Engines.Input(tenant));
        (await engine.ReleaseAsync(warm.Lease!, QuotaUsage.None)).ShouldBeTrue();

        // Redis is busy for a second (a script of the admin's spinning) and then runs what waited:
        // the admit's 250 ms budget runs out first (quota.unavailable, the call does not run), yet
        // its script grants a lease afterwards.
        var busy = admin.GetDatabase().ScriptEvaluateAsync(
            "local t = redis.call('TIME') local stop = t[1] * 1000000 + t[2] + 1000000 " +
            "repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] >= stop return 1");
        await Task.Delay(100, TestContext.Current.CancellationToken);
        var decision = await engine.AdmitAsync(Engines.Input(tenant)).WaitAsync(Bound, TestContext.Current.CancellationToken);
        decision.Granted.ShouldBeFalse();
        decision.Denial!.Code.ShouldBe(ReasonCodes.Unavailable);
        await busy.WaitAsync(Bound, TestContext.Current.CancellationToken);

        // Without the release that follows a timeout, the slot would stay taken for the lease's 120 s.
        var deadline = DateTime.UtcNow + RecoveryBound;
        long inFlight;
        while ((inFlight = await InFlightAsync(engine, tenant)) != 0)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"{inFlight} lease(s) still held after the timed-out admit");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<long> InFlightAsync(QuotaEngine engine, string tenant)
    {
        try
        {
            return (await engine.GetUsageAsync(tenant, tenant)).Concurrency.InFlight;
        }
        catch (QuotaUnavailableException)
        {
            return -1; // Still paused.
        }
    }

    [Fact]
    public async Task Admit_RedisDownAndTierFailsOpen_GrantsDegraded()
    {
        await redis.WaitForClientAsync();
        var failOpen = Engines.NewTenant("fabrikam");
        var options = Engines.Policy(new QuotaLimits { TenantConcurrency = 5 }, o =>
        {
            o.Tiers["lenient"] = new QuotaLimits { TenantConcurrency = 5, FailOpen = true };
            o.Tenants[failOpen] = new TenantQuotaPolicy { Tier = "lenient" };
        });
        var (engine, _, _) = Engines.Create(redis.Multiplexer, options);
        var closed = Engines.NewTenant("contoso");

        try
        {
            await redis.StopAsync();
            var open = await engine.AdmitAsync(Engines.Input(failOpen)).WaitAsync(Bound, TestContext.Current.CancellationToken);
            var shut = await engine.AdmitAsync(Engines.Input(closed)).WaitAsync(Bound, TestContext.Current.CancellationToken);

            open.Granted.ShouldBeTrue();
            open.Degraded.ShouldBeTrue();
            shut.Granted.ShouldBeFalse();
            shut.Denial!.Code.ShouldBe(ReasonCodes.Unavailable);
        }
        finally
        {
            await redis.StartAsync();
        }
    }
}
