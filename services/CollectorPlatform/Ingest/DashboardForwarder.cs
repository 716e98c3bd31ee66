using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Threading.Channels;
using McpPlatform.CollectorPlatform.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace McpPlatform.CollectorPlatform.Ingest;

/// <summary>
/// Sends cleaned batches to the Aspire dashboard's OTLP/HTTP endpoint, off the ingest path: a
/// bounded queue and one sender, so a slow or absent dashboard never slows the services (batches
/// beyond the queue are counted as not forwarded, like an OpenTelemetry exporter drops them).
/// </summary>
public sealed partial class DashboardForwarder : BackgroundService
{
    /// <summary>Name of the HTTP client.</summary>
    public const string HttpClientName = "otlp-forward";

    private readonly Channel<(string Path, byte[] Body)> _queue;
    private readonly IHttpClientFactory _clients;
    private readonly ILogger<DashboardForwarder> _logger;
    private readonly Counter<long> _notForwarded;
    private bool _failing;

    /// <summary>Creates the forwarder; <see cref="Endpoint"/> is null when there is nowhere to forward to.</summary>
    public DashboardForwarder(IOptions<CollectorPlatformOptions> options, IConfiguration configuration, IHttpClientFactory clients, IMeterFactory meters, ILogger<DashboardForwarder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(meters);
        _clients = clients;
        _logger = logger;
        _queue = Channel.CreateBounded<(string, byte[])>(new BoundedChannelOptions(Math.Max(1, options.Value.ForwardQueueLength))
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
        _notForwarded = meters.Create(CollectorMeters.Name).CreateCounter<long>(
            "mcpplatform.collector.not_forwarded", description: "Cleaned batches the dashboard did not receive (queue full or dashboard unreachable).");

        var endpoint = options.Value.ForwardEndpoint;
        if (string.IsNullOrWhiteSpace(endpoint)
            && (configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] ?? string.Empty).StartsWith("http/protobuf", StringComparison.OrdinalIgnoreCase))
        {
            endpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        }

        Endpoint = string.IsNullOrWhiteSpace(endpoint) ? null : new Uri(endpoint.TrimEnd('/') + "/");
        Headers = ParseHeaders(configuration["OTEL_EXPORTER_OTLP_HEADERS"]);
    }

    /// <summary>The dashboard's OTLP/HTTP base URL, or null.</summary>
    public Uri? Endpoint { get; }

    private IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Queues a cleaned batch for <c>{endpoint}/{path}</c> (e.g. <c>v1/traces</c>).</summary>
    public void Enqueue(string path, byte[] body)
    {
        if (Endpoint is not null && !_queue.Writer.TryWrite((path, body)))
        {
            _notForwarded.Add(1, new KeyValuePair<string, object?>("reason", "queue_full"));
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Endpoint is null)
        {
            LogNoEndpoint(_logger);
            return;
        }

        var client = _clients.CreateClient(HttpClientName);
        await foreach (var (path, body) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Endpoint, path))
                {
                    Content = new ByteArrayContent(body),
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(OtlpMedia.Protobuf);
                foreach (var header in Headers)
                {
                    request.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                // Forwarding is the pipeline's own plumbing: traced, each batch would become a span
                // exported to the dashboard, several a second with no traffic (issue 12: 1,822 idle
                // "POST" traces). Suppressed like the OTLP exporter suppresses its own calls.
                using var suppressed = SuppressInstrumentationScope.Begin();
                using var response = await client.SendAsync(request, stoppingToken);
                Outcome(response.IsSuccessStatusCode, response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}");
            }
            catch (HttpRequestException exception)
            {
                Outcome(false, exception.HttpRequestError.ToString());
            }
            catch (TaskCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                Outcome(false, "timeout");
            }
        }
    }

    private void Outcome(bool delivered, string? reason)
    {
        if (!delivered)
        {
            _notForwarded.Add(1, new KeyValuePair<string, object?>("reason", "unreachable"));
            if (!_failing)
            {
                LogForwardFailing(_logger, reason ?? "unknown");
            }
        }
        else if (_failing)
        {
            LogForwardRecovered(_logger);
        }

        _failing = !delivered;
    }

    // OTEL_EXPORTER_OTLP_HEADERS: "k1=v1,k2=v2", values URL-encoded (OpenTelemetry specification);
    // Aspire passes the dashboard's OTLP API key this way.
    private static List<KeyValuePair<string, string>> ParseHeaders(string? value) =>
        [.. (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(parts => parts.Length == 2 && parts[0].Length > 0)
            .Select(parts => new KeyValuePair<string, string>(Uri.UnescapeDataString(parts[0].Trim()), Uri.UnescapeDataString(parts[1].Trim())))];

    [LoggerMessage(Level = LogLevel.Information, Message = "No OTLP/HTTP endpoint to forward to (set CollectorPlatform:ForwardEndpoint, or give the collector OTEL_EXPORTER_OTLP_ENDPOINT with http/protobuf); checking and aggregating only.")]
    private static partial void LogNoEndpoint(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding to the dashboard fails ({Reason}); batches are counted in mcpplatform.collector.not_forwarded.")]
    private static partial void LogForwardFailing(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Forwarding to the dashboard works again.")]
    private static partial void LogForwardRecovered(ILogger logger);
}
