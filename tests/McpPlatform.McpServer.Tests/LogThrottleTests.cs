using McpPlatform.Shared;

namespace McpPlatform.Tenancy.Tests;

public sealed class LogThrottleTests
{
    private long _nowMs = 1_000_000;

    [Fact]
    public void TryEnter_WritesTheFirst_ThenOncePerInterval_CountingWhatWasHeldBack()
    {
        var throttle = new LogThrottle(TimeSpan.FromSeconds(10), () => _nowMs);

        throttle.TryEnter(out var first).ShouldBeTrue();
        first.ShouldBe(0);
        for (var i = 0; i < 5; i++)
        {
            _nowMs += 1000;
            throttle.TryEnter(out _).ShouldBeFalse();
        }

        _nowMs += 5000;
        throttle.TryEnter(out var next).ShouldBeTrue();
        next.ShouldBe(5, "the five calls in between were held back");
        throttle.TryEnter(out _).ShouldBeFalse();
    }

    [Fact]
    public void TryEnter_FromManyThreadsAtOnce_WritesOnce()
    {
        var throttle = new LogThrottle(TimeSpan.FromSeconds(10), () => _nowMs);

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
}
