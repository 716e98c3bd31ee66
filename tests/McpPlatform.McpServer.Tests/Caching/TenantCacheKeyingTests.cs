using McpPlatform.McpServer.Caching;
using McpPlatform.Tests.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpPlatform.McpServer.Tests.Caching;

/// <summary>
/// Key names are keyed hashes (TenantCache:KeySecret): what a reader of Redis sees cannot be
/// correlated across tenants nor checked against a guessed partition. Keys are read from a real
/// redis-server this class owns.
/// </summary>
public sealed class TenantCacheKeyingTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    private const string EntryPrefix = "tc:e:";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly List<TenantCacheFactory> _factories = [];

    [Fact]
    public async Task EntryKey_SamePurposeAndKeyInTwoTenants_SuffixesDiffer()
    {
        var factory = NewFactory(TenantCacheTests.NewSecret());
        var question = "same question " + Guid.NewGuid();
        var before = await redis.KeysAsync();

        await factory.ForTenant(TenantCacheTests.Tenant("contoso")).GetOrCreateAsync("search", question, _ => ValueTask.FromResult("c"), cancellationToken: Token);
        await factory.ForTenant(TenantCacheTests.Tenant("fabrikam")).GetOrCreateAsync("search", question, _ => ValueTask.FromResult("f"), cancellationToken: Token);
        var keys = await NewEntryKeysAsync(before, 2);

        keys.Length.ShouldBe(2);
        var suffixes = keys.Select(key => key.Split(':')[^1]).ToArray();
        suffixes[0].ShouldNotBe(suffixes[1], "equal arguments in two tenants must not give equal key names");
        keys.Select(key => key.Split(':')[2]).Distinct().Count().ShouldBe(2, "one partition id per tenant");
    }

    [Fact]
    public async Task Keys_DifferentSecret_DifferentPartitionIdsAndSuffixes()
    {
        var first = NewFactory(TenantCacheTests.NewSecret());
        var second = NewFactory(TenantCacheTests.NewSecret());
        var question = "one question " + Guid.NewGuid();
        var before = await redis.KeysAsync();

        await first.ForTenant(TenantCacheTests.Tenant("contoso")).GetOrCreateAsync("search", question, _ => ValueTask.FromResult("1"), cancellationToken: Token);
        await second.ForTenant(TenantCacheTests.Tenant("contoso")).GetOrCreateAsync("search", question, _ => ValueTask.FromResult("2"), cancellationToken: Token);
        var keys = await NewEntryKeysAsync(before, 2);

        keys.Length.ShouldBe(2, "the second deployment did not read the first one's entry");
        var parts = keys.Select(key => key.Split(':')).ToArray();
        parts[0][2].ShouldNotBe(parts[1][2], "partition id depends on the secret");
        parts[0][^1].ShouldNotBe(parts[1][^1], "entry suffix depends on the secret");
    }

    [Fact]
    public async Task Keys_SameSecret_StableAcrossInstances()
    {
        var secret = TenantCacheTests.NewSecret();
        var question = "stable " + Guid.NewGuid();
        var before = await redis.KeysAsync();

        await NewFactory(secret).ForTenant(TenantCacheTests.Tenant("contoso")).GetOrCreateAsync("search", question, _ => ValueTask.FromResult("1"), cancellationToken: Token);
        await NewEntryKeysAsync(before, 1);
        var second = await NewFactory(secret).ForTenant(TenantCacheTests.Tenant("contoso"))
            .GetOrCreateAsync("search", question, _ => ValueTask.FromResult("recomputed"), cancellationToken: Token);

        second.ShouldBe("1", "instances sharing the secret share entries");
    }

    [Theory]
    [InlineData(null, "TenantCache:KeySecret is required")]
    [InlineData("too-short-secret-of-31-bytes-xx", "TenantCache:KeySecret must be at least 32 bytes")]
    public async Task Start_MissingOrShortSecret_FailsNamingTheKey(string? secret, string message)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["TenantCache:KeySecret"] = secret,
        });
        builder.AddTenantScopedCache();
        using var host = builder.Build();

        var error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync(Token));

        error.Message.ShouldContain(message);
        Should.Throw<ArgumentException>(() => new TenantCacheFactory(
            redis.ConnectionString, Options.Create(new TenantCacheOptions { KeySecret = secret }), NullLoggerFactory.Instance)).Message.ShouldContain(message);
    }

    public void Dispose()
    {
        foreach (var factory in _factories)
        {
            factory.Dispose();
        }
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private TenantCacheFactory NewFactory(string secret)
    {
        var factory = new TenantCacheFactory(redis.ConnectionString, TenantCacheTests.CacheOptions(secret), NullLoggerFactory.Instance);
        _factories.Add(factory);
        return factory;
    }

    /// <summary>HybridCache writes to Redis in the background: wait (bounded) for <paramref name="count"/> new entry keys.</summary>
    private async Task<string[]> NewEntryKeysAsync(string[] before, int count)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var keys = (await redis.KeysAsync()).Where(key => key.StartsWith(EntryPrefix, StringComparison.Ordinal)).Except(before).ToArray();
            if (keys.Length >= count)
            {
                return keys;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"fewer than {count} new entries reached Redis");
            await Task.Delay(20, Token);
        }
    }
}
