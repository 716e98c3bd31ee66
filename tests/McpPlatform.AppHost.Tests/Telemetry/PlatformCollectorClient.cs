using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using McpPlatform.CollectorPlatform.Otlp;
using McpPlatform.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>Talks to collector-platform: OTLP/HTTP posts and its operator API.</summary>
internal static class PlatformCollectorClient
{
    private static readonly HttpClient s_http = new() { BaseAddress = PlatformServices.CollectorPlatform.LocalUrl, Timeout = TimeSpan.FromMinutes(1) };

    /// <summary>
    /// The ingest key the AppHost would give a service named <paramref name="service"/>, derived from
    /// the fixture's secret: tests send as made-up services so their counts stay their own.
    /// </summary>
    public static string IngestKey(PlatformFixture platform, string service) =>
        TelemetryIngestKeys.Derive(
            platform.App.Services.GetRequiredService<IConfiguration>()[$"Parameters:{TelemetryIngestKeys.SecretParameter}"]
                ?? throw new InvalidOperationException($"The AppHost has no {TelemetryIngestKeys.SecretParameter} parameter value."),
            service);

    public static async Task<HttpStatusCode> PostAsync(string path, byte[] body, string contentType, string? key, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await s_http.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>Posts traces with the key of the service the batch names.</summary>
    public static Task<HttpStatusCode> PostTracesAsync(PlatformFixture platform, ExportTraceServiceRequest request, CancellationToken cancellationToken) =>
        PostAsync("v1/traces", request.ToByteArray(), "application/x-protobuf",
            IngestKey(platform, McpPlatform.CollectorPlatform.Ingest.TenantFreeChecker.ServiceOf(request.ResourceSpans[0].Resource)), cancellationToken);

    public static async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await s_http.GetAsync(path, cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
    }

    /// <summary>Findings counted for one emitting service, by kind.</summary>
    public static async Task<Dictionary<string, long>> FindingsForAsync(string service, CancellationToken cancellationToken)
    {
        var report = await GetAsync("v1/findings", cancellationToken);
        return report.GetProperty("counts").EnumerateArray()
            .Where(c => c.GetProperty("service").GetString() == service)
            .GroupBy(c => c.GetProperty("kind").GetString()!)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.GetProperty("count").GetInt64()));
    }

    /// <summary>Calls collector-platform has seen of one tool on one service.</summary>
    public static async Task<long> ToolCallsAsync(string service, string tool, CancellationToken cancellationToken)
    {
        var summaries = await GetAsync("v1/tool-calls", cancellationToken);
        return summaries.EnumerateArray()
            .Where(s => s.GetProperty("service").GetString() == service && s.GetProperty("tool").GetString() == tool)
            .Sum(s => s.GetProperty("calls").GetInt64());
    }

    public static ExportTraceServiceRequest Traces(string service, Span span) => new()
    {
        ResourceSpans =
        {
            new ResourceSpans
            {
                Resource = new McpPlatform.CollectorPlatform.Otlp.Resource { Attributes = { Text("service.name", service) } },
                ScopeSpans = { new ScopeSpans { Spans = { span } } },
            },
        },
    };

    public static KeyValue Text(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
}
