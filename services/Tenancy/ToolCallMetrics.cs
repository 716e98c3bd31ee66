using System.Diagnostics;
using System.Diagnostics.Metrics;
using McpPlatform.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.Tenancy;

/// <summary>
/// Calls, outcomes and duration of every <c>tools/call</c>, counted at the source: the platform's
/// per-tool numbers (the dashboard, collector-platform's <c>/v1/tool-calls</c>). Traces are
/// head-sampled under load; these count every call. The tool dimension is a name this server
/// registered (<see cref="IMcpVocabulary"/>) or <see cref="McpVocabulary.Unknown"/>, never what a
/// caller typed; the outcome is one of <see cref="Outcomes"/>. Nothing else is a dimension.
/// </summary>
public sealed class ToolCallMetrics
{
    /// <summary>The meter of the instruments.</summary>
    public const string MeterName = "McpPlatform.Mcp";

    /// <summary>Counter of calls, by <c>gen_ai.tool.name</c> and <c>outcome</c>.</summary>
    public const string CallsInstrument = "mcpplatform.tool.calls";

    /// <summary>Histogram of call duration in milliseconds, by <c>gen_ai.tool.name</c>.</summary>
    public const string DurationInstrument = "mcpplatform.tool.duration";

    /// <summary>Values of the <c>outcome</c> dimension.</summary>
    public static class Outcomes
    {
        /// <summary>The tool returned a result.</summary>
        public const string Ok = "ok";

        /// <summary>The tool returned an error result, threw, or the call was cancelled.</summary>
        public const string Error = "error";

        /// <summary>Admission refused the call with a platform reason code; the tool did not run.</summary>
        public const string Denied = "denied";
    }

    /// <summary>Bucket upper bounds of <see cref="DurationInstrument"/> in milliseconds (collector-platform reads percentiles from them).</summary>
    public static readonly IReadOnlyList<double> DurationBoundsMs =
        [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000];

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;
    private readonly IMcpVocabulary _vocabulary;

    /// <summary>Creates the instruments.</summary>
    public ToolCallMetrics(IMeterFactory meters, IMcpVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _vocabulary = vocabulary ?? throw new ArgumentNullException(nameof(vocabulary));
        var meter = meters.Create(MeterName);
        _calls = meter.CreateCounter<long>(CallsInstrument, unit: "{call}", description: "MCP tool calls by tool and outcome.");
        _duration = meter.CreateHistogram(DurationInstrument, unit: "ms", description: "MCP tool call duration by tool.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBoundsMs });
    }

    /// <summary>Counts one call.</summary>
    /// <param name="tool">The tool name the caller sent.</param>
    /// <param name="outcome">One of <see cref="Outcomes"/>.</param>
    /// <param name="milliseconds">How long the call took.</param>
    public void Record(string? tool, string outcome, double milliseconds)
    {
        var name = tool is not null && _vocabulary.IsTool(tool) ? tool : McpVocabulary.Unknown;
        var toolTag = new KeyValuePair<string, object?>("gen_ai.tool.name", name);
        _calls.Add(1, toolTag, new KeyValuePair<string, object?>("outcome", outcome));
        _duration.Record(milliseconds, toolTag);
    }

    /// <summary>The outcome of a tool result: denied when its error code is a platform reason code.</summary>
    /// <param name="result">The result.</param>
    /// <returns>One of <see cref="Outcomes"/>.</returns>
    public static string OutcomeOf(CallToolResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.IsError != true ? Outcomes.Ok
            : ToolErrors.IsDenial(ToolErrors.CodeOf(result)) ? Outcomes.Denied
            : Outcomes.Error;
    }

    /// <summary>The outermost call-tool filter: times the call and records it, whatever happens inside.</summary>
    internal static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) => async (request, cancellationToken) =>
    {
        var metrics = request.Services?.GetService<ToolCallMetrics>();
        if (metrics is null)
        {
            return await next(request, cancellationToken);
        }

        var started = Stopwatch.GetTimestamp();
        var outcome = Outcomes.Error;
        try
        {
            var result = await next(request, cancellationToken);
            outcome = OutcomeOf(result);
            return result;
        }
        finally
        {
            metrics.Record(request.Params?.Name, outcome, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    };
}
