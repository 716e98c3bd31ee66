using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.CollectorPlatform.Otlp;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>
/// collector-platform's read APIs answer operators only, and the dashboard's own OTLP endpoint
/// takes exports only with its key (docs/telemetry.md).
/// </summary>
public sealed class PlatformCollectorReadAuthTests(PlatformFixture platform)
{
    private static readonly string[] s_views = ["v1/findings", "v1/tool-calls", "v1/received"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadApis_WithoutToken_Get401Problem()
    {
        await platform.WaitForHealthyAsync(PlatformServices.CollectorPlatform.ResourceName);
        foreach (var view in s_views)
        {
            var (status, body) = await PlatformCollectorClient.GetAsync(view, bearer: null, Cancel);
            status.ShouldBe(HttpStatusCode.Unauthorized, view);
            JsonDocument.Parse(body).RootElement.GetProperty("code").GetString().ShouldBe("request.unauthorized", view);
        }
    }

    [Fact]
    public async Task ReadApis_AnswerTheOperator_AndRefuseTenantAdmins()
    {
        await platform.WaitForHealthyAsync(PlatformServices.Identity.ResourceName, PlatformServices.CollectorPlatform.ResourceName);

        // alice asks for telemetry:read and is not given it: a token for the collector without the scope.
        var alice = await PlatformCollectorClient.UserTokenAsync(DemoDirectory.ContosoUserName, DemoDirectory.Parameters.ContosoUserPassword, Cancel);
        PlatformTokens.Payload(alice).TryGetProperty("scope", out var scope).ShouldBe(true);
        scope.GetString()!.Split(' ').ShouldNotContain(PlatformScopes.TelemetryRead);
        // Her token for collector-tenant is for another audience.
        var aliceAudit = await AuditClient.AliceAsync(Cancel);
        var operatorToken = await PlatformCollectorClient.OperatorTokenAsync(Cancel);
        PlatformTokens.Payload(operatorToken).GetProperty("scope").GetString()!.Split(' ').ShouldContain(PlatformScopes.TelemetryRead);

        foreach (var view in s_views)
        {
            (await PlatformCollectorClient.GetAsync(view, alice, Cancel)).Status.ShouldBe(HttpStatusCode.Forbidden, view);
            (await PlatformCollectorClient.GetAsync(view, aliceAudit, Cancel)).Status.ShouldBe(HttpStatusCode.Unauthorized, view);
            (await PlatformCollectorClient.GetAsync(view, operatorToken, Cancel)).Status.ShouldBe(HttpStatusCode.OK, view);
        }
    }

    [Fact]
    public async Task DashboardOtlpEndpoint_RefusesExportsWithoutItsKey()
    {
        await platform.WaitForHealthyAsync(PlatformServices.CollectorPlatform.ResourceName);
        // The dashboard endpoint and key as the AppHost gave them to collector-platform, the one
        // resource that exports to the dashboard directly (its launcher and the service itself
        // carry the same environment).
        var exporters = LocalProcesses.All()
            .Where(p => p.CommandLine.Contains("McpPlatform.CollectorPlatform", StringComparison.Ordinal))
            .Select(p => LocalProcesses.EnvironmentOf(p.Pid))
            .Where(env => env.Any(e => e.StartsWith("OTEL_EXPORTER_OTLP_ENDPOINT=", StringComparison.Ordinal)))
            .Select(env => (Endpoint: Value(env, "OTEL_EXPORTER_OTLP_ENDPOINT"), Headers: Value(env, "OTEL_EXPORTER_OTLP_HEADERS")))
            .Distinct()
            .ToList();
        exporters.Count.ShouldBe(1, string.Join(" | ", exporters));
        var endpoint = new Uri(exporters[0].Endpoint);
        var header = exporters[0].Headers.Split('=', 2);
        header[0].ShouldBe("x-otlp-api-key", "Aspire secures the dashboard's OTLP endpoint with an API key");

        var batch = PlatformCollectorClient.Traces($"stranger-{Guid.NewGuid():N}", new Span
        {
            TraceId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
            SpanId = ByteString.CopyFrom(BitConverter.GetBytes(11L)),
            Name = "GET",
            Kind = Span.Types.SpanKind.Server,
        }).ToByteArray();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        (await PostAsync(http, endpoint, batch, apiKey: null)).ShouldBe(HttpStatusCode.Unauthorized);
        (await PostAsync(http, endpoint, batch, apiKey: "not-the-key")).ShouldBe(HttpStatusCode.Unauthorized);
        (await PostAsync(http, endpoint, batch, apiKey: header[1])).ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, Uri endpoint, byte[] body, string? apiKey)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "v1/traces")) { Content = content };
        if (apiKey is not null)
        {
            request.Headers.Add("x-otlp-api-key", apiKey);
        }

        using var response = await http.SendAsync(request, Cancel);
        return response.StatusCode;
    }

    private static string Value(string[] environment, string name) =>
        environment.Single(e => e.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];
}
