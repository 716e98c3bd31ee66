using McpPlatform.Shared;
using Microsoft.Extensions.Time.Testing;

namespace McpPlatform.McpServer.Tests;

public sealed class LogThrottleTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryEnter_WritesTheFirst_ThenOncePerInterval_CountingWhatWasHeldBack()
    {
        var throttle = new LogThrottle(TimeSpan.FromSeconds(10), NowMs);

        throttle.TryEnter(out var first).ShouldBeTrue();
        first.ShouldBe(0);
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            throttle.TryEnter(out _).ShouldBeFalse();
        }

        _time.Advance(TimeSpan.FromSeconds(5));
        throttle.TryEnter(out var next).ShouldBeTrue();
        next.ShouldBe(5, "the five calls in between were held back");
        throttle.TryEnter(out _).ShouldBeFalse();
    }

    [Fact]
    public void TryEnter_FromManyThreadsAtOnce_WritesOnce()
    {
        var throttle = new LogThrottle(TimeSpan.FromSeconds(10), NowMs);

        var written = 0;
        Parallel.For(0, 1000, _ =>
        {
            if (throttle.TryEnter(out _))
            {
                Interlocked.Increment(ref written);
            }
        });

        written.ShouldBe(1);
    }

    /// <summary>The throttle's clock (monotonic milliseconds), read from the fake.</summary>
    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
