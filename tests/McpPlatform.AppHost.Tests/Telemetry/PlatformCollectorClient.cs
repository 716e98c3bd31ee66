using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using McpPlatform.AppHost.Tests.Identity;
using McpPlatform.CollectorPlatform.Otlp;
using McpPlatform.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>Talks to collector-platform: OTLP/HTTP posts and its operator API.</summary>
internal static class PlatformCollectorClient
{
    private static readonly HttpClient s_http = new() { BaseAddress = PlatformServices.CollectorPlatform.LocalUrl, Timeout = TimeSpan.FromMinutes(1) };
    private static readonly SemaphoreSlim s_tokenLock = new(1, 1);
    private static string? s_operatorToken;
    private static DateTimeOffset s_operatorTokenRenewAt;

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

    /// <summary>GET of an operator view (findings, tool calls, received) with the operator's token.</summary>
    public static async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken)
    {
        var (status, body) = await GetAsync(path, await OperatorTokenAsync(cancellationToken), cancellationToken);
        status.ShouldBe(HttpStatusCode.OK, path);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>GET with the given bearer token (none when null); the raw answer.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string? bearer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await s_http.SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>
    /// A real operator token for collector-platform (authorization code + PKCE through identity),
    /// fetched once per test run and renewed when it nears expiry.
    /// </summary>
    public static async Task<string> OperatorTokenAsync(CancellationToken cancellationToken)
    {
        await s_tokenLock.WaitAsync(cancellationToken);
        try
        {
            if (s_operatorToken is null || DateTimeOffset.UtcNow > s_operatorTokenRenewAt)
            {
                s_operatorToken = await UserTokenAsync(DemoDirectory.OperatorUserName, DemoDirectory.Parameters.OperatorPassword, cancellationToken);
                s_operatorTokenRenewAt = DateTimeOffset.UtcNow.AddMinutes(10);
            }

            return s_operatorToken;
        }
        finally
        {
            s_tokenLock.Release();
        }
    }

    /// <summary>A user's token for collector-platform, asking for <c>telemetry:read</c> (granted to operators only).</summary>
    public static Task<string> UserTokenAsync(string userName, string passwordParameter, CancellationToken cancellationToken) =>
        IdentityClient.UserAccessTokenAsync(userName, passwordParameter, PlatformServices.CollectorPlatform.LocalOrigin, PlatformScopes.TelemetryRead, cancellationToken);

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
