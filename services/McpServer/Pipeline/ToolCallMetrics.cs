using System.Diagnostics.Metrics;
using McpPlatform.ServiceDefaults.Telemetry;

namespace McpPlatform.McpServer.Pipeline;

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
    /// <param name="call">The call, ended.</param>
    public void Record(ToolCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Record(call.Tool, OutcomeOf(call.Outcome), call.Elapsed.TotalMilliseconds);
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

    /// <summary>The <c>outcome</c> dimension of a call's outcome: cancelled and failed calls count as errors.</summary>
    /// <param name="outcome">How the call ended.</param>
    /// <returns>One of <see cref="Outcomes"/>.</returns>
    public static string OutcomeOf(ToolCallOutcome outcome) => outcome switch
    {
        ToolCallOutcome.Ok => Outcomes.Ok,
        ToolCallOutcome.Denied => Outcomes.Denied,
        _ => Outcomes.Error,
    };
}
