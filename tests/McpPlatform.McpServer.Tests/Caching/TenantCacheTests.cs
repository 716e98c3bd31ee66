using McpPlatform.Core;
using McpPlatform.McpServer.Caching;
using McpPlatform.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpPlatform.McpServer.Tests.Caching;

/// <summary>Against a real redis-server; two factories sharing it stand for two service instances.</summary>
public sealed class TenantCacheTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly List<TenantCacheFactory> _factories = [];
    // One deployment: every factory ("instance") of a test shares the key secret.
    private readonly string _secret = NewSecret();

    [Fact]
    public async Task GetOrCreate_TwoTenantsSamePurposeAndKey_EachGetsItsOwnValue()
    {
        var factory = NewFactory();
        var contoso = factory.ForTenant(Tenant("contoso"));
        var fabrikam = factory.ForTenant(Tenant("fabrikam"));

        var first = await contoso.GetOrCreateAsync("search", "what is our refund policy?", _ => ValueTask.FromResult("contoso answer"), cancellationToken: Token);
        var second = await fabrikam.GetOrCreateAsync("search", "what is our refund policy?", _ => ValueTask.FromResult("fabrikam answer"), cancellationToken: Token);
        var again = await contoso.GetOrCreateAsync("search", "what is our refund policy?", _ => ValueTask.FromResult("recomputed"), cancellationToken: Token);

        first.ShouldBe("contoso answer");
        second.ShouldBe("fabrikam answer");
        again.ShouldBe("contoso answer", "a hit, and contoso's own");
    }

    [Fact]
    public async Task GetOrCreate_BothTenantsAtTheSameTime_NeverServedTheOthersEntry()
    {
        var factory = NewFactory();
        for (var round = 0; round < 40; round++)
        {
            var key = $"concurrent question {round}";
            using var barrier = new Barrier(8);
            var calls = Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
            {
                var tenant = caller % 2 == 0 ? "contoso" : "fabrikam";
                var cache = factory.ForTenant(Tenant(tenant));
                barrier.SignalAndWait(Bound);
                var value = await cache.GetOrCreateAsync("search", key, async token =>
                {
                    await Task.Yield();
                    return tenant + " value";
                }, cancellationToken: Token);
                return (Tenant: tenant, Value: value);
            })).ToArray();

            foreach (var (tenant, value) in await Task.WhenAll(calls).WaitAsync(Bound, Token))
            {
                value.ShouldBe(tenant + " value", $"round {round}");
            }
        }
    }

    [Fact]
    public async Task GetOrCreate_SecondInstanceSharingRedis_ReadsTheTenantsEntryFromRedisAndOnlyIt()
    {
        var writer = NewFactory();
        var reader = NewFactory();
        var key = "shared across instances " + Guid.NewGuid();
        var before = (await redis.KeysAsync()).Length;
        await writer.ForTenant(Tenant("contoso")).GetOrCreateAsync("search", key, _ => ValueTask.FromResult(new Answer("contoso", 7)), cancellationToken: Token);
        await WaitForEntriesAsync(before + 1);

        var readerCalls = 0;
        var fromRedis = await reader.ForTenant(Tenant("contoso")).GetOrCreateAsync("search", key, _ =>
        {
            readerCalls++;
            return ValueTask.FromResult(new Answer("recomputed", 0));
        }, cancellationToken: Token);
        var otherTenant = await reader.ForTenant(Tenant("fabrikam")).GetOrCreateAsync("search", key, _ =>
        {
            readerCalls++;
            return ValueTask.FromResult(new Answer("fabrikam", 9));
        }, cancellationToken: Token);

        fromRedis.ShouldBe(new Answer("contoso", 7));
        otherTenant.ShouldBe(new Answer("fabrikam", 9));
        readerCalls.ShouldBe(1, "contoso's entry came from Redis; fabrikam's was a miss");
    }

    [Fact]
    public async Task Invalidate_TenantA_LeavesTenantBCached()
    {
        var factory = NewFactory();
        var contoso = factory.ForTenant(Tenant("contoso"));
        var fabrikam = factory.ForTenant(Tenant("fabrikam"));
        await contoso.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult("contoso v1"), cancellationToken: Token);
        await fabrikam.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult("fabrikam v1"), cancellationToken: Token);

        await contoso.InvalidateAsync("search", Token);

        (await contoso.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult("contoso v2"), cancellationToken: Token)).ShouldBe("contoso v2");
        (await fabrikam.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult("fabrikam v2"), cancellationToken: Token)).ShouldBe("fabrikam v1");
    }

    [Fact]
    public async Task Invalidate_OnePurpose_LeavesOtherPurposesAndInvalidateAllClearsThem()
    {
        var cache = NewFactory().ForTenant(Tenant("contoso"));
        await cache.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult("search v1"), cancellationToken: Token);
        await cache.GetOrCreateAsync("embedding", "q", _ => ValueTask.FromResult("embedding v1"), cancellationToken: Token);

        await cache.InvalidateAsync("search", Token);
        (await cache.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult("search v2"), cancellationToken: Token)).ShouldBe("search v2");
        (await cache.GetOrCreateAsync("embedding", "q", _ => ValueTask.FromResult("embedding v2"), cancellationToken: Token)).ShouldBe("embedding v1");

        await cache.InvalidateAllAsync(Token);
        (await cache.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult("search v3"), cancellationToken: Token)).ShouldBe("search v3");
        (await cache.GetOrCreateAsync("embedding", "q", _ => ValueTask.FromResult("embedding v3"), cancellationToken: Token)).ShouldBe("embedding v3");
    }

    [Fact]
    public async Task Invalidate_OnOneInstance_TheOtherInstanceStopsServingItsMemoryCopy()
    {
        var first = NewFactory();
        var second = NewFactory();
        var key = "invalidated elsewhere " + Guid.NewGuid();
        // The second instance holds the entry in its own memory tier.
        (await second.ForTenant(Tenant("contoso")).GetOrCreateAsync("search", key, _ => ValueTask.FromResult("old"), cancellationToken: Token)).ShouldBe("old");
        (await second.ForTenant(Tenant("contoso")).GetOrCreateAsync("search", key, _ => ValueTask.FromResult("unused"), cancellationToken: Token)).ShouldBe("old");

        await first.ForTenant(Tenant("contoso")).InvalidateAsync("search", Token);

        (await second.ForTenant(Tenant("contoso")).GetOrCreateAsync("search", key, _ => ValueTask.FromResult("new"), cancellationToken: Token)).ShouldBe("new");
    }

    [Fact]
    public async Task GetOrCreate_PartitionDecides_NotTheTenantId()
    {
        var factory = NewFactory();
        var aliceData = factory.ForTenant(Tenant("contoso", partition: "contoso/alice"));
        var bobData = factory.ForTenant(Tenant("contoso", partition: "contoso/bob"));
        var aliceAgain = factory.ForTenant(Tenant("contoso", partition: "contoso/alice") with { PrincipalId = "other-agent" });

        await aliceData.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult("alice"), cancellationToken: Token);

        (await bobData.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult("bob"), cancellationToken: Token)).ShouldBe("bob");
        (await aliceAgain.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult("miss"), cancellationToken: Token)).ShouldBe("alice");
    }

    [Fact]
    public async Task RedisKeys_ContainNeitherTenantIdPartitionNorKeyText()
    {
        var factory = NewFactory();
        const string secretQuery = "confidential merger with northwind";
        var before = (await redis.KeysAsync()).Length;
        var cache = factory.ForTenant(Tenant("tenant-visible-id", partition: "partition-visible-id"));
        await cache.GetOrCreateAsync("search", secretQuery, _ => ValueTask.FromResult("result"), cancellationToken: Token);
        await cache.InvalidateAsync("embedding", Token);
        await WaitForEntriesAsync(before + 2);

        var keys = await redis.KeysAsync();

        keys.ShouldAllBe(name => name.StartsWith("tc:", StringComparison.Ordinal));
        foreach (var name in keys)
        {
            name.ShouldNotContain("visible-id");
            name.ShouldNotContain("northwind");
            name.ShouldNotContain("merger");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("Search")]
    [InlineData("search:other")]
    [InlineData("a-purpose-name-that-is-longer-than-32")]
    public async Task GetOrCreate_BadPurpose_ThrowsArgumentException(string purpose)
    {
        var cache = NewFactory().ForTenant(Tenant("contoso"));

        await Should.ThrowAsync<ArgumentException>(async () => await cache.GetOrCreateAsync(purpose, "q", _ => ValueTask.FromResult(1), cancellationToken: Token));
        await Should.ThrowAsync<ArgumentException>(() => cache.InvalidateAsync(purpose, Token));
    }

    [Fact]
    public async Task GetOrCreate_BadKeyOrLifetime_ThrowsArgumentException()
    {
        var cache = NewFactory().ForTenant(Tenant("contoso"));

        await Should.ThrowAsync<ArgumentException>(async () => await cache.GetOrCreateAsync("search", "", _ => ValueTask.FromResult(1), cancellationToken: Token));
        await Should.ThrowAsync<ArgumentException>(async () => await cache.GetOrCreateAsync("search", new string('k', 100_001), _ => ValueTask.FromResult(1), cancellationToken: Token));
        await Should.ThrowAsync<ArgumentException>(async () => await cache.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult(1), TimeSpan.Zero, Token));
        await Should.ThrowAsync<ArgumentException>(async () => await cache.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult(1), TimeSpan.FromDays(2), Token));
        Should.Throw<ArgumentNullException>(() => NewFactory().ForTenant(null!));
    }

    [Fact]
    public async Task GetOrCreate_FactoryThrows_PropagatesAndCachesNothing()
    {
        var cache = NewFactory().ForTenant(Tenant("contoso"));

        await Should.ThrowAsync<InvalidOperationException>(async () =>
            await cache.GetOrCreateAsync<string>("search", "failing", _ => throw new InvalidOperationException("store down"), cancellationToken: Token));

        (await cache.GetOrCreateAsync("search", "failing", _ => ValueTask.FromResult("fine now"), cancellationToken: Token)).ShouldBe("fine now");
    }

    public void Dispose()
    {
        foreach (var factory in _factories)
        {
            factory.Dispose();
        }
    }

    internal static TenantContext Tenant(string tenant, string? partition = null) =>
        new(tenant, "agent-" + tenant, PrincipalTypes.Agent, "inv-1", partition ?? tenant, tenant, tenant);

    /// <summary>Options with a key secret (required); a fresh random one unless <paramref name="secret"/> is given.</summary>
    internal static IOptions<TenantCacheOptions> CacheOptions(string? secret = null) =>
        Options.Create(new TenantCacheOptions { KeySecret = secret ?? NewSecret() });

    internal static string NewSecret() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private TenantCacheFactory NewFactory()
    {
        var factory = new TenantCacheFactory(redis.ConnectionString, CacheOptions(_secret), NullLoggerFactory.Instance);
        _factories.Add(factory);
        return factory;
    }

    /// <summary>HybridCache writes to Redis in the background: wait (bounded) until the entries are there.</summary>
    private async Task WaitForEntriesAsync(int atLeast)
    {
        var deadline = DateTime.UtcNow + Bound;
        while ((await redis.KeysAsync()).Length < atLeast)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"fewer than {atLeast} keys reached Redis");
            await Task.Delay(20, Token);
        }
    }

    internal sealed record Answer(string Text, int Score);
}
