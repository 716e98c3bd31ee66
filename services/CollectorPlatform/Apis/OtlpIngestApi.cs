using System.IO.Compression;
using Google.Protobuf;
using McpPlatform.CollectorPlatform.Ingest;
using McpPlatform.CollectorPlatform.Otlp;
using McpPlatform.Core;
using McpPlatform.ServiceDefaults.Apis;

namespace McpPlatform.CollectorPlatform.Apis;

/// <summary>
/// OTLP/HTTP receivers (<c>POST /v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c>, binary protobuf,
/// optionally gzip): parse, keep a copy if configured, check and clean, aggregate, forward, answer
/// per the OTLP/HTTP specification. Bad input gets a 4xx with a plain reason and nothing else happens.
/// </summary>
public static class OtlpIngestApi
{
    /// <summary>Maps the three receivers.</summary>
    /// <param name="app">The routes.</param>
    /// <returns>The same routes.</returns>
    public static IEndpointRouteBuilder MapOtlpIngestApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/traces", (HttpContext http, IngestServices services) => Ingest(http, services, ExportTraceServiceRequest.Parser, "traces", request => request.ResourceSpans.Select(r => r.Resource), request =>
        {
            services.Received.Add("traces", TenantFreeChecker.ServiceOf(request.ResourceSpans.FirstOrDefault()?.Resource), request);
            return (services.Checker.Check(request), new ExportTraceServiceResponse());
        }));
        app.MapPost("/v1/logs", (HttpContext http, IngestServices services) => Ingest(http, services, ExportLogsServiceRequest.Parser, "logs", request => request.ResourceLogs.Select(r => r.Resource), request =>
        {
            services.Received.Add("logs", TenantFreeChecker.ServiceOf(request.ResourceLogs.FirstOrDefault()?.Resource), request);
            return (services.Checker.Check(request), new ExportLogsServiceResponse());
        }));
        app.MapPost("/v1/metrics", (HttpContext http, IngestServices services) => Ingest(http, services, ExportMetricsServiceRequest.Parser, "metrics", request => request.ResourceMetrics.Select(r => r.Resource), request =>
        {
            services.Received.Add("metrics", TenantFreeChecker.ServiceOf(request.ResourceMetrics.FirstOrDefault()?.Resource), request);
            var (findings, dropped) = services.Checker.Check(request);
            services.Stats.Add(request);
            var response = new ExportMetricsServiceResponse();
            if (dropped > 0)
            {
                response.PartialSuccess = new ExportMetricsPartialSuccess
                {
                    RejectedDataPoints = dropped,
                    ErrorMessage = "data points with dimensions outside the platform allow-list were dropped",
                };
            }

            return (findings, response);
        }));
        return app;
    }

    private static async Task<IResult> Ingest<TRequest>(
        HttpContext http, IngestServices services, MessageParser<TRequest> parser, string signal,
        Func<TRequest, IEnumerable<Resource?>> resources, Func<TRequest, (List<Finding> Findings, IMessage Response)> handle)
        where TRequest : IMessage<TRequest>
    {
        // Only platform services send here, each with its own key (TelemetryIngestKeys), checked
        // before the body is read.
        var sender = Sender(http, services.Options.Value.IngestKeySecret);
        if (sender is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Create(StatusCodes.Status401Unauthorized, "telemetry.unauthenticated",
                "OTLP export to collector-platform needs the sending service's ingest key: Authorization: Bearer <key>.");
        }

        var mediaType = http.Request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, OtlpMedia.Protobuf, StringComparison.OrdinalIgnoreCase))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, $"OTLP/HTTP bodies must be {OtlpMedia.Protobuf} (JSON is not accepted here).");
        }

        var limit = services.Options.Value.MaxRequestBytes;
        if (http.Request.ContentLength > limit)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {limit} bytes.");
        }

        byte[] body;
        try
        {
            body = await ReadBoundedAsync(http.Request, limit, http.RequestAborted);
        }
        catch (PayloadTooLargeException)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {limit} bytes (after decompression).");
        }
        catch (InvalidDataException)
        {
            return Problem(StatusCodes.Status400BadRequest, "The body is not valid gzip.");
        }
        catch (NotSupportedException exception)
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, exception.Message);
        }

        TRequest request;
        try
        {
            request = parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException)
        {
            return Problem(StatusCodes.Status400BadRequest, $"The body is not a valid OTLP {signal} export request.");
        }

        // A key binds its batches to its service: a resource naming another service (or none) is
        // a sender writing as someone else, and the whole batch is refused (docs/telemetry.md).
        var claimed = resources(request).Select(TenantFreeChecker.ServiceOf).FirstOrDefault(name => !string.Equals(name, sender, StringComparison.Ordinal));
        if (claimed is not null)
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "telemetry.service_mismatch",
                "The batch names a service.name other than the service this ingest key was issued to.");
        }

        var (findings, response) = handle(request);
        services.Findings.Add(findings);
        // Traces are thinned for the dashboard above a rate (TraceForwardSampler); after the
        // checks and statistics above, which see every span.
        if (request is not ExportTraceServiceRequest traces || services.Sampler.Thin(traces))
        {
            services.Forwarder.Enqueue($"v1/{signal}", request.ToByteArray());
        }

        return Results.Bytes(response.ToByteArray(), OtlpMedia.Protobuf);
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var encoding = request.Headers.ContentEncoding.ToString();
        Stream source = encoding switch
        {
            "" or "identity" => request.Body,
            "gzip" => new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            _ => throw new NotSupportedException($"Content-Encoding '{encoding}' is not supported (gzip or none)."),
        };

        await using (source.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new PayloadTooLargeException();
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    private static string? Sender(HttpContext http, string? secret)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        return string.IsNullOrEmpty(secret) || !authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            ? null
            : TelemetryIngestKeys.ServiceOf(secret, authorization[Bearer.Length..].Trim());
    }

    private static IResult Problem(int status, string detail) =>
        Results.Problem(detail: detail, statusCode: status);

    private sealed class PayloadTooLargeException : Exception;
}
