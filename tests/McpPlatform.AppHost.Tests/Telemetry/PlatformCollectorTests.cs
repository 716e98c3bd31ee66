using System.Net;
using Google.Protobuf;
using McpPlatform.CollectorPlatform.Otlp;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>collector-platform as a service: defence in depth on records sent straight to it, and bad input.</summary>
public sealed class PlatformCollectorTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Traces_WithTenantAttributeAndKnownValue_AreCleanedAndCountedForTheEmittingService()
    {
        await platform.WaitForHealthyAsync(PlatformServices.CollectorPlatform.ResourceName);
        var service = $"rogue-{Guid.NewGuid():N}";
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
            SpanId = ByteString.CopyFrom(BitConverter.GetBytes(42L)),
            Name = $"lookup {DemoDirectory.ContosoTenantId}",
            Kind = Span.Types.SpanKind.Server,
            Attributes = { PlatformCollectorClient.Text("tenant_id", DemoDirectory.ContosoTenantId), PlatformCollectorClient.Text("http.route", "/v1/things") },
        };

        (await PlatformCollectorClient.PostTracesAsync(platform, PlatformCollectorClient.Traces(service, span), Cancel)).ShouldBe(HttpStatusCode.OK);

        var findings = await PlatformCollectorClient.FindingsForAsync(service, Cancel);
        findings.GetValueOrDefault("attribute.not_allowed").ShouldBe(1);
        findings.GetValueOrDefault("value.known_tenant").ShouldBe(1);
    }

    [Fact]
    public async Task BadInput_GetsClear4xx_AndTheCollectorKeepsWorking()
    {
        await platform.WaitForHealthyAsync(PlatformServices.CollectorPlatform.ResourceName);
        var key = PlatformCollectorClient.IngestKey(platform, $"bad-input-{Guid.NewGuid():N}");

        // Not protobuf at all (field 1, length-delimited, longer than the body).
        (await PlatformCollectorClient.PostAsync("v1/traces", [0x0A, 0xFF, 0xFF, 0x01, 0x02], "application/x-protobuf", key, Cancel))
            .ShouldBe(HttpStatusCode.BadRequest);
        (await PlatformCollectorClient.PostAsync("v1/logs", "{\"resourceLogs\":[]}"u8.ToArray(), "application/json", key, Cancel))
            .ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await PlatformCollectorClient.PostAsync("v1/metrics", new byte[5 * 1024 * 1024], "application/x-protobuf", key, Cancel))
            .ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        // Still up, still accepting good batches.
        var good = PlatformCollectorClient.Traces($"good-{Guid.NewGuid():N}", new Span { Name = "GET", Kind = Span.Types.SpanKind.Server });
        (await PlatformCollectorClient.PostTracesAsync(platform, good, Cancel)).ShouldBe(HttpStatusCode.OK);
        await PlatformCollectorClient.GetAsync("v1/findings", Cancel);
    }
}
