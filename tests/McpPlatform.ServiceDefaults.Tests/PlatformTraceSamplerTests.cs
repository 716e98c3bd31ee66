using System.Diagnostics;
using McpPlatform.ServiceDefaults.Telemetry;
using OpenTelemetry.Trace;

namespace McpPlatform.ServiceDefaults.Tests;

public sealed class PlatformTraceSamplerTests
{
    private long _now = Stopwatch.Frequency * 1000;

    private PlatformTraceSampler Create(double maxPerSecond, double followFactor = 10) =>
        new(new TraceSamplingOptions { MaxPerSecond = maxPerSecond, FollowFactor = followFactor }, () => _now);

    [Fact]
    public void NewTraces_WithinTheBudget_AreAllSampled_AndBeyondItNone()
    {
        var sampler = Create(20);

        // A burst of two seconds' budget passes at once; the 41st call in the same instant does not.
        Decisions(sampler, Root, 40).ShouldAllBe(d => d == SamplingDecision.RecordAndSample);
        Decide(sampler, Root).ShouldBe(SamplingDecision.Drop);
        sampler.Skipped.ShouldBe(1);

        // The budget refills continuously: a quarter of a second later, five more.
        _now += Stopwatch.Frequency / 4;
        Decisions(sampler, Root, 10).Count(d => d == SamplingDecision.RecordAndSample).ShouldBe(5);
    }

    [Fact]
    public void UnderSustainedLoad_SamplesAboutTheBudgetPerSecond()
    {
        var sampler = Create(20);
        var sampled = 0;
        // 2,000 calls a second for ten seconds.
        for (var i = 0; i < 20_000; i++)
        {
            _now += Stopwatch.Frequency / 2000;
            sampled += Decide(sampler, Root) == SamplingDecision.RecordAndSample ? 1 : 0;
        }

        sampled.ShouldBeInRange(200, 200 + 40);
    }

    [Fact]
    public void LocalParent_IsFollowed_WithoutSpendingTheBudget()
    {
        var sampler = Create(1);
        Decisions(sampler, Root, 2).ShouldAllBe(d => d == SamplingDecision.RecordAndSample);

        Decide(sampler, Parent(remote: false, sampled: true)).ShouldBe(SamplingDecision.RecordAndSample);
        Decide(sampler, Parent(remote: false, sampled: false)).ShouldBe(SamplingDecision.Drop);
        sampler.Skipped.ShouldBe(0);
    }

    [Fact]
    public void SampledRemoteParent_IsFollowed_UpToTheFollowBudget()
    {
        var sampler = Create(1, followFactor: 10);

        // Roots are spent; a caller's sampled traces still get ten times the budget (a 2 s burst: 20).
        Decisions(sampler, Root, 2);
        Decisions(sampler, Parent(remote: true, sampled: true), 20).ShouldAllBe(d => d == SamplingDecision.RecordAndSample);
        Decide(sampler, Parent(remote: true, sampled: true)).ShouldBe(SamplingDecision.Drop);
    }

    [Fact]
    public void UnsampledRemoteParent_IsSampledFromTheServicesOwnBudget()
    {
        var sampler = Create(1);

        Decisions(sampler, Parent(remote: true, sampled: false), 3)
            .ShouldBe([SamplingDecision.RecordAndSample, SamplingDecision.RecordAndSample, SamplingDecision.Drop]);
    }

    [Fact]
    public void ZeroBudget_StartsNoTraces_ButFollowsSampledCallers()
    {
        var sampler = Create(0);

        Decide(sampler, Root).ShouldBe(SamplingDecision.Drop);
        Decide(sampler, Parent(remote: false, sampled: true)).ShouldBe(SamplingDecision.RecordAndSample);
    }

    [Theory]
    [InlineData(-1, 10, "MaxPerSecond")]
    [InlineData(double.NaN, 10, "MaxPerSecond")]
    [InlineData(20, 0.5, "FollowFactor")]
    public void InvalidBudget_IsAClearError(double maxPerSecond, double followFactor, string setting)
    {
        var error = Should.Throw<InvalidOperationException>(() => Create(maxPerSecond, followFactor));

        error.Message.ShouldContain($"Telemetry:Traces:{setting}");
    }

    private static ActivityContext Root => default;

    private static ActivityContext Parent(bool remote, bool sampled) =>
        new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: remote);

    private static SamplingDecision Decide(PlatformTraceSampler sampler, ActivityContext parent) =>
        sampler.ShouldSample(new SamplingParameters(parent, parent.TraceId == default ? ActivityTraceId.CreateRandom() : parent.TraceId, "GET /mcp", ActivityKind.Server)).Decision;

    private static List<SamplingDecision> Decisions(PlatformTraceSampler sampler, ActivityContext parent, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => Decide(sampler, parent))];
}
