using McpPlatform.Core;
using McpPlatform.ServiceDefaults;
using McpPlatform.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every McpPlatform service shares: telemetry, health endpoints, service discovery and
/// resilience for outgoing HTTP. Each service calls <see cref="AddServiceDefaults{TBuilder}"/>
/// first and <see cref="MapDefaultEndpoints"/> after building.
/// </summary>
public static class Extensions
{
    private const string LiveTag = "live";

    /// <summary>Adds telemetry, default health checks, the error rule's services, service discovery and HTTP resilience.</summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddPlatformProblemDetails();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>Traces, metrics and logs over OTLP when an endpoint is configured.</summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        // The platform pipeline is tenant-free at the source (Telemetry/, docs/telemetry.md):
        // classified log values are erased for every provider, and what OpenTelemetry exports
        // passes allow-lists first. Tenant data goes to the audit pipeline, never here.
        builder.Logging.AddPlatformRedaction();

        // OpenTelemetry's standard switch (OTEL_SDK_DISABLED) turns the SDK off altogether: the
        // "telemetry off" baseline of the telemetry-overhead benchmark. Redaction stays on.
        if (builder.Configuration.GetValue<bool>("OTEL_SDK_DISABLED"))
        {
            return builder;
        }

        builder.Logging.AddOpenTelemetry(logging => logging.AddPlatformLogRules());
        var otlpEndpoint = OtlpOrigin(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var traceBudget = builder.Configuration.GetSection(TraceSamplingOptions.SectionName).Get<TraceSamplingOptions>() ?? new TraceSamplingOptions();

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddPlatformMetricRules()
                // ASP.NET Core's request, connection and error meters; not its routing,
                // authentication and authorization meters, which add instruments to every request
                // that no platform view or alert reads. Nor the MCP SDK's meter: without the method
                // and tool (caller text) its durations repeat http.server.request.duration, and
                // per-tool numbers come from McpPlatform.Mcp's counters, by registered tool name.
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics")
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                // The platform's own meters (admission outcomes, audit delivery, collectors).
                .AddMeter("McpPlatform.*"))
            .WithTracing(tracing => tracing
                .AddPlatformSpanRules()
                // Head sampling by a per-second budget (Telemetry:Traces): every call while calls
                // are few, at most the budget under load; metrics still count every call.
                .SetSampler(new PlatformTraceSampler(traceBudget))
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(PlatformTelemetryExtensions.McpSdkSource)
                .AddAspNetCoreInstrumentation(aspnet =>
                    // Health probes run every few seconds; tracing them drowns real calls.
                    aspnet.Filter = context => !IsHealthPath(context.Request.Path))
                // Calls to the OTLP endpoint are the pipeline's own export (and collector-platform's
                // forwarding): traced, they would be exported again, a feedback loop that fills the
                // dashboard with "POST" traces at idle. The exporter suppresses its own calls; this
                // covers any other client that sends there.
                .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = request =>
                    otlpEndpoint is null || !IsSameOrigin(request.RequestUri, otlpEndpoint)));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Registers the liveness check every service has; services add readiness checks.</summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (all checks) and <c>/alive</c> (liveness only) in every environment:
    /// the AppHost and Container Apps probe them outside Development too. <c>/health</c> answers
    /// JSON with each check's name and status, a description only for checks tagged
    /// <see cref="HealthEndpoints.DetailsTag"/> and data only for checks tagged
    /// <see cref="HealthEndpoints.DataTag"/> (<see cref="HealthReportWriter"/>), so it discloses
    /// nothing about tenants or configuration; <c>/alive</c> answers its status as text.
    /// </summary>
    /// <param name="app">The built application.</param>
    /// <returns>The same application.</returns>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpoints.Health, new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapHealthChecks(HealthEndpoints.Alive, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        });
        return app;
    }

    private static Uri? OtlpOrigin(string? endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri : null;

    private static bool IsSameOrigin(Uri? uri, Uri origin) =>
        uri is not null && uri.IsAbsoluteUri
        && Uri.Compare(uri, origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private static bool IsHealthPath(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments(HealthEndpoints.Health) || path.StartsWithSegments(HealthEndpoints.Alive);
}
