using McpPlatform.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The platform telemetry pipeline's tenant-free rules, applied at the source in every service:
/// erasing redaction of classified log parameters (<see cref="PlatformTaxonomy"/>), the span and log
/// processors, no scopes and no formatted messages, and a metric view that keeps only allowed
/// dimensions. docs/telemetry.md explains each rule and what the tenant pipeline carries instead.
/// </summary>
public static class PlatformTelemetryExtensions
{
    /// <summary>The MCP C# SDK's activity source and meter: per-method and per-tool spans and durations.</summary>
    public const string McpSdkSource = "Experimental.ModelContextProtocol";

    /// <summary>
    /// Erases every classified value from logs for every logging provider (console included, which
    /// the Aspire dashboard shows too). Erasing rather than HMAC-hashing: a stable hash of a tenant
    /// id is still a per-tenant identifier any operator could correlate, and incidents are joined
    /// by trace id through an audited grant instead (docs/telemetry.md).
    /// </summary>
    /// <param name="logging">The service's logging builder.</param>
    /// <returns>The same builder.</returns>
    public static ILoggingBuilder AddPlatformRedaction(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.Services.AddRedaction(redaction => redaction.SetRedactor<ErasingRedactor>(PlatformTaxonomy.All));
        logging.EnableRedaction();
        return logging;
    }

    /// <summary>Exports logs without scopes or formatted messages, through <see cref="PlatformLogProcessor"/>.</summary>
    /// <param name="options">The OpenTelemetry logger options.</param>
    /// <returns>The same options.</returns>
    public static OpenTelemetryLoggerOptions AddPlatformLogRules(this OpenTelemetryLoggerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Scopes carry whatever a caller put in them (tool-call scopes name tenants) and formatted
        // messages interpolate parameter values: neither can be allow-listed, so neither leaves.
        options.IncludeScopes = false;
        options.IncludeFormattedMessage = false;
        options.AddProcessor(new PlatformLogProcessor());
        return options;
    }

    /// <summary>Adds <see cref="PlatformSpanProcessor"/>; call before any exporter is added.</summary>
    /// <param name="tracing">The tracer provider builder.</param>
    /// <returns>The same builder.</returns>
    public static TracerProviderBuilder AddPlatformSpanRules(this TracerProviderBuilder tracing) =>
        tracing.AddProcessor(services => new PlatformSpanProcessor(services.GetService<IMcpVocabulary>()));

    /// <summary>Every instrument keeps only <see cref="PlatformTelemetryKeys.MetricDimensions"/>.</summary>
    /// <param name="metrics">The meter provider builder.</param>
    /// <returns>The same builder.</returns>
    public static MeterProviderBuilder AddPlatformMetricRules(this MeterProviderBuilder metrics) =>
        metrics.AddView(instrument => new MetricStreamConfiguration
        {
            // The MCP SDK's own instruments record the method and tool names the caller sent,
            // which a view cannot rewrite: should a service subscribe to them, they keep neither
            // (per-tool numbers come from McpPlatform.Mcp's counters, by registered tool name).
            TagKeys = instrument.Meter.Name == McpSdkSource ? PlatformTelemetryKeys.McpSdkMetricDimensions : PlatformTelemetryKeys.MetricDimensions,
        });
}
