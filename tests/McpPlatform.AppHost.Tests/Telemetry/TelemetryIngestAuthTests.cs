using System.Net;
using Google.Protobuf;
using McpPlatform.CollectorPlatform.Otlp;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>
/// collector-platform takes OTLP only from platform services, each with its own key, and only as
/// the service the key names (docs/telemetry.md).
/// </summary>
public sealed class TelemetryIngestAuthTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Export_WithoutKey_OrWithAForgedKey_Gets401()
    {
        await platform.WaitForHealthyAsync(PlatformServices.CollectorPlatform.ResourceName);
        var service = $"sender-{Guid.NewGuid():N}";
        var body = Batch(service).ToByteArray();
        var valid = PlatformCollectorClient.IngestKey(platform, service);

        (await PlatformCollectorClient.PostAsync("v1/traces", body, "application/x-protobuf", key: null, Cancel)).ShouldBe(HttpStatusCode.Unauthorized);
        (await PlatformCollectorClient.PostAsync("v1/logs", body, "application/x-protobuf", key: null, Cancel)).ShouldBe(HttpStatusCode.Unauthorized);
        (await PlatformCollectorClient.PostAsync("v1/metrics", body, "application/x-protobuf", key: null, Cancel)).ShouldBe(HttpStatusCode.Unauthorized);
        // The right shape, the wrong MAC; and a key made with another secret.
        (await PlatformCollectorClient.PostAsync("v1/traces", body, "application/x-protobuf", valid[..^2] + "xx", Cancel)).ShouldBe(HttpStatusCode.Unauthorized);
        (await PlatformCollectorClient.PostAsync("v1/traces", body, "application/x-protobuf", TelemetryIngestKeys.Derive("not-the-secret", service), Cancel))
            .ShouldBe(HttpStatusCode.Unauthorized);

        (await PlatformCollectorClient.PostAsync("v1/traces", body, "application/x-protobuf", valid, Cancel)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Export_WithServiceAKey_AsServiceB_IsRejectedAndNotRecorded()
    {
        await platform.WaitForHealthyAsync(PlatformServices.CollectorPlatform.ResourceName);
        var victim = $"victim-{Guid.NewGuid():N}";
        var forged = Batch(victim, name: $"lookup {DemoDirectory.ContosoTenantId}");
        var senderKey = PlatformCollectorClient.IngestKey(platform, $"sender-{Guid.NewGuid():N}");

        (await PlatformCollectorClient.PostAsync("v1/traces", forged.ToByteArray(), "application/x-protobuf", senderKey, Cancel))
            .ShouldBe(HttpStatusCode.Forbidden);
        // A batch naming two services, one of them the sender's own, is refused whole too.
        var mixed = Batch(victim);
        mixed.ResourceSpans.Add(Batch("sender-own").ResourceSpans[0]);
        (await PlatformCollectorClient.PostAsync("v1/traces", mixed.ToByteArray(), "application/x-protobuf", PlatformCollectorClient.IngestKey(platform, "sender-own"), Cancel))
            .ShouldBe(HttpStatusCode.Forbidden);

        // Nothing was counted for the victim: the forged span carried a known tenant value.
        (await PlatformCollectorClient.FindingsForAsync(victim, Cancel)).ShouldBeEmpty();
    }

    private static ExportTraceServiceRequest Batch(string service, string name = "GET") =>
        PlatformCollectorClient.Traces(service, new Span
        {
            TraceId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
            SpanId = ByteString.CopyFrom(BitConverter.GetBytes(7L)),
            Name = name,
            Kind = Span.Types.SpanKind.Server,
        });
}
