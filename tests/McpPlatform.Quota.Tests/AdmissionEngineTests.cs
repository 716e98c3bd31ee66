using McpPlatform.Core;
using McpPlatform.Core.Quota;
using McpPlatform.Quota.Engine;
using McpPlatform.Quota.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace McpPlatform.Quota.Tests;

public sealed class AdmissionEngineTests(QuotaRedisServer redis) : IClassFixture<QuotaRedisServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Admit_200ConcurrentAgainstCapOf5_GrantsExactly5AndDeniesTheRest()
    {
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TenantConcurrency = 5 }));
        var tenant = Engines.NewTenant("contoso");

        var results = await Task.WhenAll(Enumerable.Range(0, 200)
            .Select(i => Task.Run(() => engine.AdmitAsync(Engines.Input(tenant, $"agent-{i}")), TestContext.Current.CancellationToken))).WaitAsync(Bound, TestContext.Current.CancellationToken);

        results.Count(r => r.Granted).ShouldBe(5);
        results.Where(r => !r.Granted).ShouldAllBe(r => r.Denial!.Code == ReasonCodes.ConcurrencyTenant);
        var denial = results.First(r => !r.Granted).Denial!;
        denial.Limit.ShouldBe(5);
        denial.Window.ShouldBe("concurrent");
        denial.RetryAfterSeconds.ShouldNotBeNull();
        (await redis.Multiplexer.GetDatabase().SortedSetLengthAsync(QuotaKeys.PartitionLeases(tenant))).ShouldBe(5);
    }

    [Fact]
    public async Task Admit_ConcurrentAdmitsAndReleases_NeverHoldMoreThanCap()
    {
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TenantConcurrency = 5 }));
        var tenant = Engines.NewTenant("contoso");
        var inFlight = 0;
        var maxInFlight = 0;
        var granted = 0;

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var admission = await engine.AdmitAsync(Engines.Input(tenant, $"agent-{i % 7}"));
            if (!admission.Granted)
            {
                admission.Denial!.Code.ShouldBe(ReasonCodes.ConcurrencyTenant);
                return;
            }

            Interlocked.Increment(ref granted);
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            await Task.Yield();
            Interlocked.Decrement(ref inFlight);
            (await engine.ReleaseAsync(ParseLease(admission), QuotaUsage.None)).ShouldBeTrue();
        }, TestContext.Current.CancellationToken))).WaitAsync(Bound, TestContext.Current.CancellationToken);

        maxInFlight.ShouldBeLessThanOrEqualTo(5);
        granted.ShouldBeGreaterThanOrEqualTo(5);
        (await redis.Multiplexer.GetDatabase().SortedSetLengthAsync(QuotaKeys.PartitionLeases(tenant))).ShouldBe(0);
    }

    [Fact]
    public async Task Admit_OverPrincipalCap_DeniesThatPrincipalOnly()
    {
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TenantConcurrency = 10, PrincipalConcurrency = 2 }));
        var tenant = Engines.NewTenant("contoso");

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => engine.AdmitAsync(Engines.Input(tenant, "alice")))).WaitAsync(Bound, TestContext.Current.CancellationToken);

        results.Count(r => r.Granted).ShouldBe(2);
        results.Where(r => !r.Granted).ShouldAllBe(r => r.Denial!.Code == ReasonCodes.ConcurrencyPrincipal && r.Denial.Scope == "principal");
        (await engine.AdmitAsync(Engines.Input(tenant, "bob"))).Granted.ShouldBeTrue();
    }

    [Fact]
    public async Task Admit_ParallelReservations_NeverExceedTokenBudget()
    {
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TokensPerHour = 1000 }));
        var tenant = Engines.NewTenant("contoso");

        var results = await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(i => Task.Run(() => engine.AdmitAsync(Engines.Input(tenant, $"agent-{i}", tokens: 70)), TestContext.Current.CancellationToken))).WaitAsync(Bound, TestContext.Current.CancellationToken);

        results.Count(r => r.Granted).ShouldBe(14); // 14 × 70 = 980 ≤ 1000 < 15 × 70
        var denial = results.First(r => !r.Granted).Denial!;
        denial.Code.ShouldBe(ReasonCodes.TokensHour);
        denial.Limit.ShouldBe(1000);
        denial.Window.ShouldBe("hour");
        denial.RetryAfterSeconds.ShouldNotBeNull();
        (await engine.GetUsageAsync(tenant, tenant)).TokensHour.Used.ShouldBe(980);
    }

    [Fact]
    public async Task Release_ActualBelowEstimate_ReturnsTheDifference()
    {
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TokensPerHour = 1000, CostPerDay = 10m }));
        var tenant = Engines.NewTenant("contoso");

        var first = await engine.AdmitAsync(Engines.Input(tenant, tokens: 600, cost: 6m));
        first.Granted.ShouldBeTrue();
        (await engine.AdmitAsync(Engines.Input(tenant, tokens: 600))).Denial!.Code.ShouldBe(ReasonCodes.TokensHour);

        (await engine.ReleaseAsync(ParseLease(first), new QuotaUsage(100, 1.5m))).ShouldBeTrue();

        var usage = await engine.GetUsageAsync(tenant, tenant);
        usage.TokensHour.Used.ShouldBe(100);
        usage.TokensHour.Remaining.ShouldBe(900);
        usage.CostDay.Used.ShouldBe(1.5m);
        (await engine.AdmitAsync(Engines.Input(tenant, tokens: 900))).Granted.ShouldBeTrue();
    }

    [Fact]
    public async Task Release_ActualAboveEstimate_ChargesTheOverage()
    {
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TokensPerHour = 1000 }));
        var tenant = Engines.NewTenant("contoso");

        var admission = await engine.AdmitAsync(Engines.Input(tenant, tokens: 100));
        await engine.ReleaseAsync(ParseLease(admission), new QuotaUsage(1200, 0m));

        (await engine.GetUsageAsync(tenant, tenant)).TokensHour.Used.ShouldBe(1200);
        (await engine.GetUsageAsync(tenant, tenant)).TokensHour.Remaining.ShouldBe(0);
        (await engine.AdmitAsync(Engines.Input(tenant, tokens: 0))).Denial!.Code.ShouldBe(ReasonCodes.TokensHour);
    }

    [Fact]
    public async Task Release_Twice_SecondIsHarmless()
    {
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TenantConcurrency = 1, TokensPerHour = 1000 }));
        var tenant = Engines.NewTenant("contoso");
        var admission = await engine.AdmitAsync(Engines.Input(tenant, tokens: 500));

        (await engine.ReleaseAsync(ParseLease(admission), new QuotaUsage(200, 0m))).ShouldBeTrue();
        (await engine.ReleaseAsync(ParseLease(admission), new QuotaUsage(0, 0m))).ShouldBeFalse();

        var usage = await engine.GetUsageAsync(tenant, tenant);
        usage.TokensHour.Used.ShouldBe(200);
        usage.Concurrency.InFlight.ShouldBe(0);
        (await engine.AdmitAsync(Engines.Input(tenant))).Granted.ShouldBeTrue();
    }

    [Fact]
    public async Task Admit_LeaseExpired_SlotComesBackByItself()
    {
        var clock = new FakeTimeProvider(Engines.Start);
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TenantConcurrency = 1, LeaseTtlSeconds = 30 }), clock);
        var tenant = Engines.NewTenant("contoso");

        (await engine.AdmitAsync(Engines.Input(tenant))).Granted.ShouldBeTrue();
        (await engine.AdmitAsync(Engines.Input(tenant))).Denial!.Code.ShouldBe(ReasonCodes.ConcurrencyTenant);

        clock.Advance(TimeSpan.FromSeconds(31));

        (await engine.AdmitAsync(Engines.Input(tenant))).Granted.ShouldBeTrue();
    }

    [Fact]
    public async Task Admit_HourAndDayRollover_RestoreTheirBudgets()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 22, 10, 0, TimeSpan.Zero));
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TokensPerHour = 100, TokensPerDay = 150 }), clock);
        var tenant = Engines.NewTenant("contoso");

        (await engine.AdmitAsync(Engines.Input(tenant, tokens: 100))).Granted.ShouldBeTrue();
        var hourDenial = (await engine.AdmitAsync(Engines.Input(tenant, tokens: 10))).Denial!;
        hourDenial.Code.ShouldBe(ReasonCodes.TokensHour);
        hourDenial.RetryAfterSeconds.ShouldBe(50 * 60);

        clock.Advance(TimeSpan.FromHours(1)); // 23:10, same UTC day
        (await engine.AdmitAsync(Engines.Input(tenant, tokens: 50))).Granted.ShouldBeTrue();
        var dayDenial = (await engine.AdmitAsync(Engines.Input(tenant, tokens: 10))).Denial!;
        dayDenial.Code.ShouldBe(ReasonCodes.TokensDay);
        dayDenial.Window.ShouldBe("day");
        dayDenial.RetryAfterSeconds.ShouldBe(50 * 60);

        clock.Advance(TimeSpan.FromHours(1)); // 00:10 the next UTC day
        (await engine.AdmitAsync(Engines.Input(tenant, tokens: 100))).Granted.ShouldBeTrue();
    }

    [Fact]
    public async Task Admit_CostBudgets_DenyWithCostReasonsAndExactAmounts()
    {
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { CostPerHour = 1.00m, CostPerDay = 1.50m }));
        var tenant = Engines.NewTenant("contoso");

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => engine.AdmitAsync(Engines.Input(tenant, cost: 0.1m)))).WaitAsync(Bound, TestContext.Current.CancellationToken);

        results.Count(r => r.Granted).ShouldBe(10);
        var denial = results.First(r => !r.Granted).Denial!;
        denial.Code.ShouldBe(ReasonCodes.CostHour);
        denial.Limit.ShouldBe(1.00m);
        (await engine.GetUsageAsync(tenant, tenant)).CostHour.Used.ShouldBe(1.00m);
    }

    [Fact]
    public async Task Admit_EstimateAboveTheWholeBudget_DeniesWithoutRetryHint()
    {
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TokensPerHour = 100 }));
        var tenant = Engines.NewTenant("contoso");

        var denial = (await engine.AdmitAsync(Engines.Input(tenant, tokens: 101))).Denial!;

        denial.Code.ShouldBe(ReasonCodes.TokensHour);
        denial.RetryAfterSeconds.ShouldBeNull();
    }

    [Fact]
    public async Task Admit_OverRate_DeniesQuotaRateUntilTheBucketRefills()
    {
        var clock = new FakeTimeProvider(Engines.Start);
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TenantRatePerSecond = 2, TenantRateBurst = 3 }), clock);
        var tenant = Engines.NewTenant("contoso");

        for (var i = 0; i < 3; i++)
        {
            var admission = await engine.AdmitAsync(Engines.Input(tenant));
            admission.Granted.ShouldBeTrue();
            await engine.ReleaseAsync(ParseLease(admission), QuotaUsage.None);
        }

        var denial = (await engine.AdmitAsync(Engines.Input(tenant))).Denial!;
        denial.Code.ShouldBe(ReasonCodes.Rate);
        denial.Scope.ShouldBe("tenant");
        denial.Window.ShouldBe("second");
        denial.RetryAfterSeconds.ShouldBe(1);

        clock.Advance(TimeSpan.FromMilliseconds(500));
        (await engine.AdmitAsync(Engines.Input(tenant))).Granted.ShouldBeTrue();
    }

    [Fact]
    public async Task Admit_PrincipalRate_LimitsOnePrincipalNotTheOthers()
    {
        var clock = new FakeTimeProvider(Engines.Start);
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { PrincipalRatePerSecond = 1, PrincipalRateBurst = 1 }), clock);
        var tenant = Engines.NewTenant("contoso");

        (await engine.AdmitAsync(Engines.Input(tenant, "alice"))).Granted.ShouldBeTrue();
        var denial = (await engine.AdmitAsync(Engines.Input(tenant, "alice"))).Denial!;
        denial.Code.ShouldBe(ReasonCodes.Rate);
        denial.Scope.ShouldBe("principal");
        (await engine.AdmitAsync(Engines.Input(tenant, "bob"))).Granted.ShouldBeTrue();
    }

    [Fact]
    public async Task Admit_DeniedCall_ConsumesNothing()
    {
        var clock = new FakeTimeProvider(Engines.Start);
        var (engine, _, _) = Engines.Create(redis.Multiplexer,
            Engines.Policy(new QuotaLimits { TenantConcurrency = 1, TenantRatePerSecond = 1, TenantRateBurst = 2, TokensPerHour = 1000 }), clock);
        var tenant = Engines.NewTenant("contoso");

        var held = await engine.AdmitAsync(Engines.Input(tenant, tokens: 10));
        for (var i = 0; i < 5; i++)
        {
            (await engine.AdmitAsync(Engines.Input(tenant, tokens: 10))).Denial!.Code.ShouldBe(ReasonCodes.ConcurrencyTenant);
        }

        await engine.ReleaseAsync(ParseLease(held), new QuotaUsage(10, 0m));
        (await engine.AdmitAsync(Engines.Input(tenant, tokens: 10))).Granted.ShouldBeTrue(); // the second rate token is still there
        (await engine.GetUsageAsync(tenant, tenant)).TokensHour.Used.ShouldBe(20);
    }

    [Fact]
    public async Task Admit_FabrikamExhaustsItsQuota_ContosoIsUnaffected()
    {
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TenantConcurrency = 3, TokensPerHour = 300 }));
        var fabrikam = Engines.NewTenant("fabrikam");
        var contoso = Engines.NewTenant("contoso");

        var flood = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => engine.AdmitAsync(Engines.Input(fabrikam, tokens: 100)))).WaitAsync(Bound, TestContext.Current.CancellationToken);
        flood.Count(r => r.Granted).ShouldBe(3);

        var contosoResults = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => engine.AdmitAsync(Engines.Input(contoso, tokens: 100)))).WaitAsync(Bound, TestContext.Current.CancellationToken);
        contosoResults.ShouldAllBe(r => r.Granted);
        (await engine.GetUsageAsync(contoso, contoso)).TokensHour.Used.ShouldBe(300);
    }

    [Fact]
    public async Task Admit_TenantOverrideInConfiguration_AppliesToThatTenantOnly()
    {
        var premium = Engines.NewTenant("contoso");
        var options = Engines.Policy(new QuotaLimits { TenantConcurrency = 1 }, o =>
        {
            o.Tiers["premium"] = new QuotaLimits { TenantConcurrency = 3 };
            o.Tenants[premium] = new TenantQuotaPolicy { Tier = "premium" };
        });
        var (engine, _, _) = Engines.Create(redis.Multiplexer, options);
        var standard = Engines.NewTenant("fabrikam");

        (await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => engine.AdmitAsync(Engines.Input(premium))))).Count(r => r.Granted).ShouldBe(3);
        (await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => engine.AdmitAsync(Engines.Input(standard))))).Count(r => r.Granted).ShouldBe(1);
    }

    [Fact]
    public async Task Admit_PolicyReloaded_NewCapAppliesWithoutRestart()
    {
        var (engine, _, monitor) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TenantConcurrency = 1 }));
        var tenant = Engines.NewTenant("contoso");
        (await engine.AdmitAsync(Engines.Input(tenant))).Granted.ShouldBeTrue();
        (await engine.AdmitAsync(Engines.Input(tenant))).Granted.ShouldBeFalse();

        monitor.Set(Engines.Policy(new QuotaLimits { TenantConcurrency = 2 }));

        (await engine.AdmitAsync(Engines.Input(tenant))).Granted.ShouldBeTrue();
    }

    [Fact]
    public async Task Admit_InvalidPolicyReload_KeepsThePreviousPolicy()
    {
        var (engine, _, monitor) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TenantConcurrency = 1 }));
        var tenant = Engines.NewTenant("contoso");

        monitor.Set(new QuotaPolicyOptions { DefaultTier = "missing" });

        (await engine.AdmitAsync(Engines.Input(tenant))).Granted.ShouldBeTrue();
        (await engine.AdmitAsync(Engines.Input(tenant))).Denial!.Code.ShouldBe(ReasonCodes.ConcurrencyTenant);
    }

    [Fact]
    public async Task Override_SetOnOneInstance_AppliesOnAnotherAfterRefresh()
    {
        var options = Engines.Policy(new QuotaLimits { TenantConcurrency = 1 });
        var (first, firstPolicy, _) = Engines.Create(redis.Multiplexer, options);
        var (second, secondPolicy, _) = Engines.Create(redis.Multiplexer, options);
        var firstStore = new LimitOverrideStore(redis.Multiplexer, firstPolicy, TimeProvider.System);
        var secondStore = new LimitOverrideStore(redis.Multiplexer, secondPolicy, TimeProvider.System);
        var tenant = Engines.NewTenant("contoso");

        var change = await firstStore.SetAsync(tenant, new QuotaLimits { TenantConcurrency = 4 }, "operator-1");
        await secondStore.RefreshAsync();

        change.Old.ShouldBeNull();
        change.New!.TenantConcurrency.ShouldBe(4);
        (await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => second.AdmitAsync(Engines.Input(tenant))))).Count(r => r.Granted).ShouldBe(4);
        firstPolicy.For(tenant).TenantConcurrency.ShouldBe(4);

        var removal = await secondStore.SetAsync(tenant, null, "operator-2");
        removal.Old!.TenantConcurrency.ShouldBe(4);
        var changes = await firstStore.ChangesAsync(tenant, 10);
        changes.Count.ShouldBe(2);
        changes[0].ChangedBy.ShouldBe("operator-2");
        changes[0].New.ShouldBeNull();
        changes[1].New!.TenantConcurrency.ShouldBe(4);
        _ = first;
    }

    [Fact]
    public async Task Admit_OneCall_IsExactlyOneEvalshaRoundTrip()
    {
        var (engine, _, _) = Engines.Create(redis.Multiplexer, Engines.Policy(new QuotaLimits { TenantConcurrency = 5, TokensPerHour = 1000 }));
        var tenant = Engines.NewTenant("contoso");
        var warm = await engine.AdmitAsync(Engines.Input(tenant)); // loads the script after any restart
        await engine.ReleaseAsync(ParseLease(warm), QuotaUsage.None);
        await using var admin = await redis.ConnectAdminAsync();
        var server = admin.GetServer(admin.GetEndPoints()[0]);

        var before = await CommandCountsAsync(server);
        var sentBefore = redis.Multiplexer.GetCounters().Interactive.OperationCount;
        var admission = await engine.AdmitAsync(Engines.Input(tenant, tokens: 10));
        var sentAfterAdmit = redis.Multiplexer.GetCounters().Interactive.OperationCount;
        var afterAdmit = await CommandCountsAsync(server);
        await engine.ReleaseAsync(ParseLease(admission), new QuotaUsage(5, 0m));
        var sentAfterRelease = redis.Multiplexer.GetCounters().Interactive.OperationCount;
        var afterRelease = await CommandCountsAsync(server);

        // Client side: one command sent per call. Server side: that command was EVALSHA (Redis 7
        // also counts the calls the script makes, so only the script commands are compared).
        (sentAfterAdmit - sentBefore).ShouldBe(1);
        (sentAfterRelease - sentAfterAdmit).ShouldBe(1);
        Delta(before, afterAdmit).GetValueOrDefault("evalsha").ShouldBe(1);
        Delta(before, afterAdmit).ShouldNotContainKey("eval");
        Delta(afterAdmit, afterRelease).GetValueOrDefault("evalsha").ShouldBe(1);
        Delta(afterAdmit, afterRelease).ShouldNotContainKey("eval");
    }

    internal static LeaseHandle ParseLease(EngineDecision admission)
    {
        admission.Granted.ShouldBeTrue();
        return admission.Lease.ShouldNotBeNull();
    }

    private static async Task<Dictionary<string, long>> CommandCountsAsync(IServer server)
    {
        // Counts of top-level commands only (not the calls scripts make), without INFO itself.
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in await server.InfoAsync("commandstats"))
        {
            foreach (var entry in group)
            {
                var name = entry.Key.Replace("cmdstat_", "", StringComparison.Ordinal);
                var calls = entry.Value.Split(',')[0].Split('=')[1];
                counts[name] = long.Parse(calls, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return counts;
    }

    private static Dictionary<string, long> Delta(Dictionary<string, long> before, Dictionary<string, long> after) =>
        after.Where(entry => entry.Key is not ("info" or "ping" or "echo" or "cluster" or "subscribe" or "client" or "config"))
            .Select(entry => (entry.Key, Count: entry.Value - before.GetValueOrDefault(entry.Key)))
            .Where(entry => entry.Count != 0)
            .ToDictionary(entry => entry.Key, entry => entry.Count);

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
