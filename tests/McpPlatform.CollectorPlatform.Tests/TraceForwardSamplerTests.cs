using Google.Protobuf;
using McpPlatform.CollectorPlatform.Extensions;
using McpPlatform.CollectorPlatform.Ingest;
using McpPlatform.CollectorPlatform.Otlp;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace McpPlatform.CollectorPlatform.Tests;

public sealed class TraceForwardSamplerTests
{
    private readonly FakeTimeProvider _clock = new();

    private TraceForwardSampler Create(int maxPerSecond) =>
        new(Options.Create(new CollectorPlatformOptions { ForwardMaxTracesPerSecond = maxPerSecond }), _clock);

    [Fact]
    public void Thin_BelowTheLimit_ForwardsEverything()
    {
        var sampler = Create(50);
        var request = Batch(Enumerable.Range(0, 40).Select(i => NewSpan(i)).ToArray());

        sampler.Thin(request).ShouldBeTrue();
        _clock.Advance(TimeSpan.FromSeconds(1));
        var next = Batch(Enumerable.Range(40, 40).Select(i => NewSpan(i)).ToArray());

        sampler.Thin(next).ShouldBeTrue();
        SpanCount(next).ShouldBe(40);
        sampler.Ratio.ShouldBe(1);
    }

    [Fact]
    public void Thin_AboveTheLimit_KeepsAboutTheLimitWholeTracesAndEveryError()
    {
        var sampler = Create(50);
        sampler.Thin(Batch(Enumerable.Range(0, 1000).Select(i => NewSpan(i)).ToArray()));
        _clock.Advance(TimeSpan.FromSeconds(1));

        // The next second: 1,000 traces, each with a span from two services, plus 10 failures.
        var spans = Enumerable.Range(1000, 1000).Select(i => NewSpan(i)).ToList();
        var sameTraces = spans.Select(s => new Span { TraceId = s.TraceId, SpanId = ByteString.CopyFrom(new byte[8]), Name = "downstream" }).ToList();
        var errors = Enumerable.Range(5000, 10).Select(i => NewSpan(i, error: true)).ToList();
        var first = Batch([.. spans, .. errors]);
        var second = Batch([.. sameTraces]);

        sampler.Thin(first);
        sampler.Thin(second);

        sampler.Ratio.ShouldBe(0.05, tolerance: 0.001);
        var kept = first.ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans).ToList();
        kept.Count(s => s.Status?.Code != Status.Types.StatusCode.Error).ShouldBeInRange(20, 90, "about 5% of 1,000 traces");
        kept.Count(s => s.Status?.Code == Status.Types.StatusCode.Error).ShouldBe(10, "errors are always forwarded");
        // The same trace ids were kept in the other service's batch: whole traces, not fragments.
        var keptTraces = kept.Where(s => s.Status?.Code != Status.Types.StatusCode.Error).Select(s => s.TraceId).ToHashSet();
        second.ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans).Select(s => s.TraceId).ToHashSet().SetEquals(keptTraces).ShouldBeTrue();
    }

    [Fact]
    public void Thin_NothingLeft_SaysSoAndLeavesNoEmptyContainers()
    {
        var sampler = Create(1);
        sampler.Thin(Batch(Enumerable.Range(0, 100_000).Select(i => NewSpan(i)).ToArray()));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var request = Batch(NewSpan(7, trace: 0xFFFF_FFFF_FFFF_FFFF));

        sampler.Thin(request).ShouldBeFalse();
        request.ResourceSpans.ShouldBeEmpty();
    }

    [Fact]
    public void Thin_Disabled_ForwardsEverything()
    {
        var sampler = Create(0);
        var request = Batch(Enumerable.Range(0, 10_000).Select(i => NewSpan(i)).ToArray());

        sampler.Thin(request).ShouldBeTrue();
        SpanCount(request).ShouldBe(10_000);
    }

    private static Span NewSpan(int seed, bool error = false, ulong? trace = null)
    {
        var id = new byte[16];
        new Random(seed).NextBytes(id);
        if (trace is { } fixedLow)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(id.AsSpan(8), fixedLow);
        }

        var span = new Span { TraceId = ByteString.CopyFrom(id), SpanId = ByteString.CopyFrom(id, 0, 8), Name = "tools/call whoami" };
        if (error)
        {
            span.Status = new Status { Code = Status.Types.StatusCode.Error };
        }

        return span;
    }

    private static ExportTraceServiceRequest Batch(params Span[] spans)
    {
        var scope = new ScopeSpans();
        scope.Spans.AddRange(spans);
        var resource = new ResourceSpans();
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return request;
    }

    private static int SpanCount(ExportTraceServiceRequest request) =>
        request.ResourceSpans.SelectMany(r => r.ScopeSpans).Sum(s => s.Spans.Count);
}
