using System.Diagnostics;
using System.Diagnostics.Metrics;
using McpPlatform.Core;
using McpPlatform.Core.Quota;
using McpPlatform.McpServer.Quota;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace McpPlatform.McpServer.Tests;

public sealed class DenialPacerTests : IDisposable
{
    private static readonly TenantContext s_contosoAgent = new("contoso", "contoso-agent", "agent", "inv-1", "contoso", "contoso", "contoso");
    private static readonly TenantContext s_contosoUser = s_contosoAgent with { PrincipalId = "alice", PrincipalType = "user" };
    private static readonly TenantContext s_fabrikamAgent = new("fabrikam", "fabrikam-agent", "agent", "inv-2", "fabrikam", "fabrikam", "fabrikam");
    private static readonly QuotaDenial s_concurrency = new(ReasonCodes.ConcurrencyTenant, "cap reached", 1, 8, "concurrent", "tenant");

    private static readonly string[] s_tagKeys = ["outcome", "reason"];

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _services.Dispose();

    private DenialPacer Create(DenialPacingOptions? options = null) =>
        new(new StaticOptions(options ?? new DenialPacingOptions()), _clock, _services.GetRequiredService<IMeterFactory>());

    [Fact]
    public void HoldFor_FirstDenial_IsImmediate()
    {
        Create().HoldFor(s_contosoAgent, s_concurrency).ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void HoldFor_DeniedAgainBeforeRetryAfter_HeldHalfToAllOfRetryAfterAtRandom()
    {
        var pacer = Create();
        pacer.HoldFor(s_contosoAgent, s_concurrency);
        _clock.Advance(TimeSpan.FromMilliseconds(300));

        var holds = Enumerable.Range(0, 200).Select(_ => pacer.HoldFor(s_contosoAgent, s_concurrency)).ToList();

        holds.ShouldAllBe(hold => hold >= TimeSpan.FromMilliseconds(500) && hold <= TimeSpan.FromSeconds(1));
        holds.Distinct().Count().ShouldBeGreaterThan(100, "held callers are released at different times");
    }

    [Fact]
    public void HoldFor_DeniedAgainAfterRetryAfter_IsImmediate()
    {
        var pacer = Create();
        pacer.HoldFor(s_contosoAgent, s_concurrency);

        _clock.Advance(TimeSpan.FromSeconds(1));

        pacer.HoldFor(s_contosoAgent, s_concurrency).ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void HoldFor_LongRetryAfter_CappedAtMaxDelay()
    {
        var pacer = Create(new DenialPacingOptions { MaxDelay = TimeSpan.FromMilliseconds(250) });
        var budget = new QuotaDenial(ReasonCodes.TokensHour, "budget spent", 1740, 1000, "hour", "tenant");
        pacer.HoldFor(s_contosoAgent, budget);

        var hold = pacer.HoldFor(s_contosoAgent, budget);

        hold.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(125));
        hold.ShouldBeLessThanOrEqualTo(TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void HoldFor_OtherPrincipalsAndTenants_NotHeldForSomeoneElsesDenials()
    {
        var pacer = Create();
        pacer.HoldFor(s_contosoAgent, s_concurrency);
        pacer.HoldFor(s_contosoAgent, s_concurrency);

        pacer.HoldFor(s_contosoUser, s_concurrency).ShouldBe(TimeSpan.Zero, "another principal of the same tenant");
        pacer.HoldFor(s_fabrikamAgent, s_concurrency).ShouldBe(TimeSpan.Zero, "another tenant");
    }

    [Fact]
    public void HoldFor_DenialWithoutRetryAfter_NeverHeld()
    {
        var pacer = Create();
        var hopeless = new QuotaDenial(ReasonCodes.TokensHour, "the estimate alone exceeds the budget", null, 1000, "hour", "tenant");
        pacer.HoldFor(s_contosoAgent, hopeless);

        pacer.HoldFor(s_contosoAgent, hopeless).ShouldBe(TimeSpan.Zero);
        pacer.Tracked.ShouldBe(0);
    }

    [Fact]
    public void HoldFor_Disabled_NeverHeld()
    {
        var pacer = Create(new DenialPacingOptions { Enabled = false });
        pacer.HoldFor(s_contosoAgent, s_concurrency);

        pacer.HoldFor(s_contosoAgent, s_concurrency).ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void HoldFor_TrackingFull_NewPrincipalsNotPaced()
    {
        var pacer = Create(new DenialPacingOptions { MaxTrackedPrincipals = 1 });
        pacer.HoldFor(s_contosoAgent, s_concurrency);
        pacer.HoldFor(s_fabrikamAgent, s_concurrency);

        pacer.HoldFor(s_fabrikamAgent, s_concurrency).ShouldBe(TimeSpan.Zero);
        pacer.HoldFor(s_contosoAgent, s_concurrency).ShouldBeGreaterThan(TimeSpan.Zero, "the principal already followed is still paced");
        pacer.Tracked.ShouldBe(1);
    }

    [Fact]
    public void HoldFor_ExpiredEntries_SweptAway()
    {
        var pacer = Create();
        pacer.HoldFor(s_contosoAgent, s_concurrency);
        _clock.Advance(TimeSpan.FromSeconds(2));

        // The sweep runs every 1,024 denials; fabrikam's keep it going.
        for (var i = 0; i < 1024; i++)
        {
            pacer.HoldFor(s_fabrikamAgent with { PrincipalId = $"agent-{i}" }, new QuotaDenial(ReasonCodes.Rate, "rate", null, 1, "second", "principal"));
        }

        pacer.Tracked.ShouldBe(0);
    }

    [Fact]
    public void HoldFor_CountsDenialsByReasonAndOutcome_WithoutTenant()
    {
        var measurements = new List<Dictionary<string, object?>>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DenialPacer.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => measurements.Add(tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
        listener.Start();
        var pacer = Create();

        pacer.HoldFor(s_contosoAgent, s_concurrency);
        pacer.HoldFor(s_contosoAgent, s_concurrency);

        measurements.Select(m => m["outcome"]).ShouldBe(["immediate", "paced"]);
        measurements.ShouldAllBe(m => m.Keys.Order().SequenceEqual(s_tagKeys) && (string)m["reason"]! == ReasonCodes.ConcurrencyTenant);
    }

    [Fact]
    public async Task PaceAsync_CallerLeaves_HoldEndsAtOnce()
    {
        var pacer = new DenialPacer(new StaticOptions(new DenialPacingOptions { MaxDelay = TimeSpan.FromSeconds(10) }), TimeProvider.System, _services.GetRequiredService<IMeterFactory>());
        var longer = s_concurrency with { RetryAfterSeconds = 30 };
        await pacer.PaceAsync(s_contosoAgent, longer, TestContext.Current.CancellationToken);
        using var leaving = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var watch = Stopwatch.StartNew();

        var held = pacer.PaceAsync(s_contosoAgent, longer, leaving.Token).AsTask();
        await Task.Delay(100, TestContext.Current.CancellationToken);
        held.IsCompleted.ShouldBeFalse("the second early denial is held");
        await leaving.CancelAsync();
        await held.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    private sealed class StaticOptions(DenialPacingOptions value) : IOptionsMonitor<DenialPacingOptions>
    {
        public DenialPacingOptions CurrentValue => value;

        public DenialPacingOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<DenialPacingOptions, string?> listener) => null;
    }
}
