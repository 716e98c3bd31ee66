namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// The allow-lists of the platform pipeline: the only attribute keys that leave a service on spans
/// and logs, and the only metric dimensions. Everything else is dropped, so a new attribute that
/// carries tenant data is removed without anyone having to remember it; adding a key here is a
/// reviewed decision that its values are tenant-free (docs/telemetry.md). collector-platform checks
/// the same lists again.
/// </summary>
public static class PlatformTelemetryKeys
{
    /// <summary>Attribute keys kept on spans and span events (values are platform vocabulary, never tenant data).</summary>
    public static readonly IReadOnlySet<string> SpanAttributes = new HashSet<string>(StringComparer.Ordinal)
    {
        // HTTP: route templates and codes, never paths, queries or client addresses.
        "http.request.method", "http.request.method_original", "http.response.status_code", "http.route",
        "url.scheme", "server.address", "server.port", "network.protocol.name", "network.protocol.version",
        "network.transport", "error.type", "http.request.resend_count",
        // MCP SDK: method and tool name (the registered vocabulary of the server).
        "mcp.method.name", "mcp.protocol.version", "gen_ai.tool.name", "gen_ai.operation.name", "gen_ai.prompt.name",
        "rpc.response.status_code", "rpc.system", "rpc.service", "rpc.method",
        "db.system", "db.system.name", "db.operation.name",
        "otel.status_code", "otel.scope.name",
        // What the pipeline itself writes in place of exception text.
        ExceptionType, ExceptionFingerprint,
    };

    /// <summary>Structured log state keys kept (besides numeric and boolean values, which cannot name anyone).</summary>
    public static readonly IReadOnlySet<string> LogAttributes = new HashSet<string>(SpanAttributes, StringComparer.Ordinal)
    {
        OriginalFormat,
        "Kind", "Code", "Failure", "Reason", "Problem", "ErrorType", "Mode", "VectorStore", "Setting",
        "Migration", "Database", "Status", "Ttl",
    };

    /// <summary>Metric dimensions kept; every other tag key is aggregated away by a view.</summary>
    public static readonly string[] MetricDimensions =
    [
        "http.request.method", "http.response.status_code", "http.route", "url.scheme", "server.address", "server.port",
        "network.protocol.name", "network.protocol.version", "network.transport", "error.type",
        "mcp.method.name", "mcp.protocol.version", "gen_ai.tool.name", "gen_ai.operation.name", "rpc.response.status_code",
        "gc.heap.generation", "dotnet.gc.heap.generation", "outcome", "reason",
        // collector-platform's own metrics: the emitting platform service, signal and finding kind.
        "service", "signal", "kind",
    ];

    /// <summary>Dimensions kept on the MCP SDK's instruments: <see cref="MetricDimensions"/> without the caller-named method, tool and prompt.</summary>
    public static readonly string[] McpSdkMetricDimensions =
        [.. MetricDimensions.Where(key => key is not ("mcp.method.name" or "gen_ai.tool.name" or "gen_ai.prompt.name"))];

    /// <summary>Resource attributes collector-platform accepts (set by the SDK and Aspire, never by tenants).</summary>
    public static readonly IReadOnlySet<string> ResourceAttributes = new HashSet<string>(StringComparer.Ordinal)
    {
        "service.name", "service.instance.id", "service.version", "service.namespace",
        "telemetry.sdk.name", "telemetry.sdk.language", "telemetry.sdk.version", "deployment.environment",
        "deployment.environment.name", "host.name", "host.arch", "os.type", "process.runtime.name",
    };

    /// <summary>The key a log's message template travels under.</summary>
    public const string OriginalFormat = "{OriginalFormat}";

    /// <summary>The exception's type name, kept in place of its message.</summary>
    public const string ExceptionType = "exception.type";

    /// <summary>A hash of the exception's type and stack frames, to group identical failures without their text.</summary>
    public const string ExceptionFingerprint = "exception.fingerprint";

    /// <summary>
    /// Whether a value cannot carry a name or text: numbers and booleans, which OTLP carries as
    /// such. Enums and durations are exported as strings, which collector-platform cannot tell
    /// from text, so they need an allow-listed key like any string.
    /// </summary>
    /// <param name="value">The attribute value.</param>
    /// <returns><c>true</c> for value types that are safe under any key.</returns>
    public static bool IsScalar(object? value) => value is bool or byte or sbyte or short or ushort or int or uint
        or long or ulong or float or double;
}
