using McpPlatform.Core;
using McpPlatform.Core.Quota;
using McpPlatform.Quota.Engine;
using McpPlatform.Quota.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpPlatform.Quota.Tests;

/// <summary>
/// Admission inside an MCP server's process: the follower gets its policy from what the quota
/// service (the authority) published to Redis, and decides with the same engine.
/// </summary>
public sealed class InProcessAdmissionTests(QuotaRedisServer redis) : IClassFixture<QuotaRedisServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Admit_BeforeThePolicyArrives_DeniesUnavailable()
    {
        var (admission, _, _) = Follower();

        var result = await admission.AdmitAsync(Context(Engines.NewTenant("contoso")), "search", QuotaUsage.None, TestContext.Current.CancellationToken);

        result.IsGranted.ShouldBeFalse();
        result.Denial!.Code.ShouldBe(ReasonCodes.Unavailable);
        result.Denial.RetryAfterSeconds.ShouldBe(1);
    }

    [Fact]
    public async Task Admit_AfterAuthorityPublishes_FollowsItsLimitsAndReloads()
    {
        var authority = await PublishAsync(new QuotaLimits { TenantConcurrency = 1 });
        var (admission, _, followerSync) = Follower();
        await followerSync.SyncAsync();
        var tenant = Context(Engines.NewTenant("contoso"));

        var first = await admission.AdmitAsync(tenant, "search", QuotaUsage.None, TestContext.Current.CancellationToken);
        var second = await admission.AdmitAsync(tenant, "search", QuotaUsage.None, TestContext.Current.CancellationToken);
        first.IsGranted.ShouldBeTrue();
        second.Denial!.Code.ShouldBe(ReasonCodes.ConcurrencyTenant);
        second.Denial.Limit.ShouldBe(1);

        // The operator edits the policy file: the authority reloads, publishes; the follower follows.
        authority.Monitor.Set(Engines.Policy(new QuotaLimits { TenantConcurrency = 2 }));
        await authority.Sync.SyncAsync();
        await followerSync.SyncAsync();
        (await admission.AdmitAsync(tenant, "search", QuotaUsage.None, TestContext.Current.CancellationToken)).IsGranted.ShouldBeTrue();
    }

    [Fact]
    public async Task Admit_TenantHoldingItsCapHere_DeniedWithoutARedisRoundTrip()
    {
        await PublishAsync(new QuotaLimits { TenantConcurrency = 3 });
        var (admission, _, sync) = Follower();
        await sync.SyncAsync();
        var tenant = Context(Engines.NewTenant("contoso"));
        var leases = new List<QuotaLease>();
        for (var i = 0; i < 3; i++)
        {
            leases.Add((await admission.AdmitAsync(tenant, "search", QuotaUsage.None, TestContext.Current.CancellationToken)).Lease.ShouldNotBeNull());
        }

        var sent = redis.Multiplexer.GetCounters().Interactive.OperationCount;
        var denied = await admission.AdmitAsync(tenant, "search", QuotaUsage.None, TestContext.Current.CancellationToken);

        redis.Multiplexer.GetCounters().Interactive.OperationCount.ShouldBe(sent);
        denied.Denial!.Code.ShouldBe(ReasonCodes.ConcurrencyTenant);
        denied.Denial.RetryAfterSeconds.ShouldBe(1);

        // Another tenant is not affected by contoso's local count.
        (await admission.AdmitAsync(Context(Engines.NewTenant("fabrikam")), "search", QuotaUsage.None, TestContext.Current.CancellationToken)).IsGranted.ShouldBeTrue();

        // Releasing one frees one slot, here and in Redis; a second release of it changes nothing.
        (await admission.ReleaseAsync(leases[0], QuotaUsage.None, TestContext.Current.CancellationToken)).ShouldBeTrue();
        (await admission.ReleaseAsync(leases[0], QuotaUsage.None, TestContext.Current.CancellationToken)).ShouldBeFalse();
        (await admission.AdmitAsync(tenant, "search", QuotaUsage.None, TestContext.Current.CancellationToken)).IsGranted.ShouldBeTrue();
        (await admission.AdmitAsync(tenant, "search", QuotaUsage.None, TestContext.Current.CancellationToken)).Denial!.Code.ShouldBe(ReasonCodes.ConcurrencyTenant);
    }

    [Fact]
    public async Task Admit_ManyConcurrentInProcess_NeverGrantsMoreThanCap()
    {
        await PublishAsync(new QuotaLimits { TenantConcurrency = 5 });
        var (admission, _, sync) = Follower();
        await sync.SyncAsync();
        var tenant = Context(Engines.NewTenant("contoso"));

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            Task.Run(async () => await admission.AdmitAsync(tenant, "search", QuotaUsage.None, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken)))
            .WaitAsync(Bound, TestContext.Current.CancellationToken);

        results.Count(r => r.IsGranted).ShouldBe(5);
        results.Where(r => !r.IsGranted).ShouldAllBe(r => r.Denial!.Code == ReasonCodes.ConcurrencyTenant);
    }

    [Fact]
    public async Task Release_SettlesActualUsageAgainstTheBudget()
    {
        await PublishAsync(new QuotaLimits { TokensPerHour = 1000 });
        var (admission, engine, sync) = Follower();
        await sync.SyncAsync();
        var tenantId = Engines.NewTenant("contoso");
        var tenant = Context(tenantId);

        var lease = (await admission.AdmitAsync(tenant, "search", new QuotaUsage(600, 0m), TestContext.Current.CancellationToken)).Lease.ShouldNotBeNull();
        (await admission.AdmitAsync(tenant, "search", new QuotaUsage(600, 0m), TestContext.Current.CancellationToken)).Denial!.Code.ShouldBe(ReasonCodes.TokensHour);
        (await admission.ReleaseAsync(lease, new QuotaUsage(100, 0m), TestContext.Current.CancellationToken)).ShouldBeTrue();

        (await engine.GetUsageAsync(tenantId, tenantId)).TokensHour.Used.ShouldBe(100);
        (await admission.AdmitAsync(tenant, "search", new QuotaUsage(600, 0m), TestContext.Current.CancellationToken)).IsGranted.ShouldBeTrue();
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(20_000_000)]
    public async Task Admit_EstimateOutsidePolicyBounds_DeniesWithoutRetryHint(long tokens)
    {
        await PublishAsync(new QuotaLimits());
        var (admission, _, sync) = Follower();
        await sync.SyncAsync();

        var result = await admission.AdmitAsync(Context(Engines.NewTenant("contoso")), "search", new QuotaUsage(tokens, 0m), TestContext.Current.CancellationToken);

        result.Denial!.Code.ShouldBe(ReasonCodes.Unavailable);
        result.Denial.RetryAfterSeconds.ShouldBeNull();
        result.Denial.Message.ShouldContain("Quota:Estimates");
    }

    private async Task<(QuotaPolicySync Sync, TestOptionsMonitor<QuotaPolicyOptions> Monitor)> PublishAsync(QuotaLimits standard)
    {
        var (_, policy, monitor) = Engines.Create(redis.Multiplexer, Engines.Policy(standard));
        var sync = new QuotaPolicySync(redis.Multiplexer, policy, new LimitOverrideStore(redis.Multiplexer, policy, TimeProvider.System), QuotaPolicyRole.Authority);
        await sync.SyncAsync();
        return (sync, monitor);
    }

    private (InProcessQuotaAdmission Admission, QuotaEngine Engine, QuotaPolicySync Sync) Follower()
    {
        var policy = new QuotaPolicy(NullLogger<QuotaPolicy>.Instance);
        var engine = new QuotaEngine(redis.Multiplexer, policy, TimeProvider.System, NullLogger<QuotaEngine>.Instance);
        var sync = new QuotaPolicySync(redis.Multiplexer, policy, new LimitOverrideStore(redis.Multiplexer, policy, TimeProvider.System), QuotaPolicyRole.Follower);
        return (new InProcessQuotaAdmission(engine, policy), engine, sync);
    }

    private static TenantContext Context(string tenant) =>
        new(tenant, "agent-1", PrincipalTypes.Agent, Guid.NewGuid().ToString("N"), tenant, tenant, tenant);
}
