using McpPlatform.McpServer.Caching;
using McpPlatform.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace McpPlatform.McpServer.Tests.Caching;

/// <summary>Redis goes away (the process is killed) and comes back; this class owns its server.</summary>
public sealed class TenantCacheOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly RedisServer _redis = new();
    private TenantCacheFactory _factory = null!;

    public async ValueTask InitializeAsync()
    {
        await _redis.InitializeAsync();
        _factory = new TenantCacheFactory(_redis.ConnectionString, TenantCacheTests.CacheOptions(), NullLoggerFactory.Instance);
    }

    [Fact]
    public async Task GetOrCreate_RedisDown_FactoryRunsEveryCallAndNothingFails()
    {
        var cache = _factory.ForTenant(TenantCacheTests.Tenant("contoso"));
        (await cache.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult("cached before the outage"), cancellationToken: Token)).ShouldBe("cached before the outage");

        await _redis.StopAsync();
        var calls = 0;
        for (var i = 0; i < 3; i++)
        {
            var value = await cache.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult($"computed {Interlocked.Increment(ref calls)}"), cancellationToken: Token)
                .AsTask().WaitAsync(Bound, Token);
            value.ShouldBe($"computed {i + 1}", "with no generation to trust, not even the memory tier is served");
        }

        await Should.ThrowAsync<TenantCacheUnavailableException>(() => cache.InvalidateAsync("search", Token).WaitAsync(Bound, Token));
    }

    [Fact]
    public async Task GetOrCreate_RedisBack_CachesAgain()
    {
        var cache = _factory.ForTenant(TenantCacheTests.Tenant("fabrikam"));
        await _redis.StopAsync();
        (await cache.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult("during outage"), cancellationToken: Token)).ShouldBe("during outage");

        await _redis.StartAsync();
        var deadline = DateTime.UtcNow + Bound;
        string value;
        do
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the cache never reconnected");
            await Task.Delay(100, Token);
            value = await cache.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult("after outage"), cancellationToken: Token);
        }
        while (await KeyCountAsync() == 0);

        value.ShouldBe("after outage");
        (await cache.GetOrCreateAsync("search", "q", _ => ValueTask.FromResult("not a hit"), cancellationToken: Token)).ShouldBe("after outage");
    }

    public async ValueTask DisposeAsync()
    {
        _factory.Dispose();
        await _redis.DisposeAsync();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // The test's own inspector connection reconnects on its own schedule after the restart;
    // until it has, "no keys seen yet" (the loop above is bounded).
    private async Task<int> KeyCountAsync()
    {
        try
        {
            return (await _redis.KeysAsync()).Length;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return 0;
        }
    }
}
