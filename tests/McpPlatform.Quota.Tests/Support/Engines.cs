using McpPlatform.Quota.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace McpPlatform.Quota.Tests.Support;

/// <summary>An options monitor whose value a test replaces, raising the change callback like a reload.</summary>
public sealed class TestOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    private readonly List<Action<T, string?>> _listeners = [];

    public T CurrentValue { get; private set; } = value;

    public T Get(string? name) => CurrentValue;

    public IDisposable OnChange(Action<T, string?> listener)
    {
        _listeners.Add(listener);
        return new Subscription();
    }

    /// <summary>Replaces the value and notifies listeners (a configuration reload).</summary>
    public void Set(T value)
    {
        CurrentValue = value;
        foreach (var listener in _listeners)
        {
            listener(value, Options.DefaultName);
        }
    }

    private sealed class Subscription : IDisposable
    {
        public void Dispose()
        {
        }
    }
}

/// <summary>Builds engines and requests for tests: unique partitions per test keep tests independent.</summary>
public static class Engines
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 15, 0, TimeSpan.Zero);

    public static QuotaPolicyOptions Policy(QuotaLimits standard, Action<QuotaPolicyOptions>? configure = null)
    {
        var options = new QuotaPolicyOptions { DefaultTier = "standard" };
        options.Tiers["standard"] = standard;
        configure?.Invoke(options);
        return options;
    }

    public static (QuotaEngine Engine, QuotaPolicy Policy, TestOptionsMonitor<QuotaPolicyOptions> Monitor) Create(
        IConnectionMultiplexer redis, QuotaPolicyOptions options, TimeProvider? time = null)
    {
        var monitor = new TestOptionsMonitor<QuotaPolicyOptions>(options);
        var policy = new QuotaPolicy(monitor, NullLogger<QuotaPolicy>.Instance);
        return (new QuotaEngine(redis, policy, time ?? TimeProvider.System, NullLogger<QuotaEngine>.Instance), policy, monitor);
    }

    public static string NewTenant(string name) => $"{name}-{Guid.NewGuid():N}";

    public static AdmissionInput Input(string tenant, string principal = "agent-1", long tokens = 0, decimal cost = 0m, string? partition = null) =>
        new(tenant, principal, partition ?? tenant, "search", tokens, QuotaUnits.ToMicros(cost));
}
