using System.Diagnostics;
using OpenTelemetry;

namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// Makes every span tenant-free before it is exported: attributes outside
/// <see cref="PlatformTelemetryKeys.SpanAttributes"/> (unless numeric) are removed, incoming baggage is
/// dropped so it is neither recorded nor propagated further, the status description (often an
/// exception message) is cleared, HTTP span names are rebuilt from method and route template, and
/// exception events keep only the type and a fingerprint.
/// </summary>
public sealed class PlatformSpanProcessor : BaseProcessor<Activity>
{
    private const string ExceptionEvent = "exception";

    private readonly IMcpVocabulary? _vocabulary;

    /// <summary>Creates the processor.</summary>
    /// <param name="vocabulary">The MCP server's registered tools and prompts; null in services that serve none (every name is then unknown).</param>
    public PlatformSpanProcessor(IMcpVocabulary? vocabulary = null) => _vocabulary = vocabulary;

    /// <inheritdoc />
    public override void OnStart(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        // Baggage arrives from callers (W3C baggage header) and would be forwarded on every
        // outgoing call; no platform decision depends on it, so none is allowed.
        DropBaggage(data);
    }

    private static void DropBaggage(Activity data)
    {
        List<string>? baggage = null;
        foreach (var item in data.Baggage)
        {
            (baggage ??= []).Add(item.Key);
        }

        foreach (var key in baggage ?? [])
        {
            data.SetBaggage(key, null);
        }
    }

    /// <inheritdoc />
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        DropBaggage(data);
        NameMcpSpan(data);
        List<string>? drop = null;
        foreach (ref readonly var tag in data.EnumerateTagObjects())
        {
            if (!IsAllowed(tag.Key, tag.Value))
            {
                (drop ??= []).Add(tag.Key);
            }
        }

        foreach (var key in drop ?? [])
        {
            data.SetTag(key, null);
        }

        if (data.StatusDescription is not null)
        {
            data.SetStatus(data.Status);
        }

        RenameHttpSpan(data);

        // Events cannot be changed or removed once added. Exceptions are made safe when they are
        // recorded (ExceptionTags); a span with any other event carrying a non-allowed value is
        // withheld from export as a whole rather than exported with it.
        foreach (var activityEvent in data.Events)
        {
            foreach (var tag in activityEvent.Tags)
            {
                if (!IsAllowed(tag.Key, tag.Value) && !IsScrubbedExceptionTag(tag))
                {
                    data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
                    Interlocked.Increment(ref s_withheld);
                    return;
                }
            }
        }
    }

    /// <summary>Spans withheld from export because an event carried a value outside the allow-list.</summary>
    public static long Withheld => Interlocked.Read(ref s_withheld);

    private static long s_withheld;

    /// <summary>The exception message and stack trace as exported: replaced at recording time.</summary>
    public const string RemovedText = "(removed by the platform pipeline; see exception.fingerprint)";

    private static readonly ActivityListener s_exceptionListener = new()
    {
        ShouldListenTo = _ => true,
        ExceptionRecorder = ExceptionTags,
    };

    static PlatformSpanProcessor() => ActivitySource.AddActivityListener(s_exceptionListener);

    /// <summary>
    /// Runs inside <see cref="Activity.AddException"/> before the event exists: keeps only allowed
    /// tags and sets message and stack trace to <see cref="RemovedText"/> (so the defaults, which
    /// quote the exception's text, are not added), plus the type and a fingerprint.
    /// </summary>
    private static void ExceptionTags(Activity activity, Exception exception, ref TagList tags)
    {
        for (var i = tags.Count - 1; i >= 0; i--)
        {
            if (!IsAllowed(tags[i].Key, tags[i].Value))
            {
                tags.RemoveAt(i);
            }
        }

        tags.Add("exception.message", RemovedText);
        tags.Add("exception.stacktrace", RemovedText);
        tags.Add(PlatformTelemetryKeys.ExceptionType, exception.GetType().FullName);
        tags.Add(PlatformTelemetryKeys.ExceptionFingerprint, ExceptionFingerprint.Of(exception));
    }

    private static bool IsScrubbedExceptionTag(KeyValuePair<string, object?> tag) =>
        tag.Key is "exception.message" or "exception.stacktrace" && (tag.Value as string) == RemovedText;

    /// <summary>Whether an attribute may leave the service.</summary>
    /// <param name="key">Attribute key.</param>
    /// <param name="value">Attribute value.</param>
    /// <returns><c>true</c> when the key is allow-listed or the value cannot name anyone.</returns>
    public static bool IsAllowed(string key, object? value) =>
        PlatformTelemetryKeys.SpanAttributes.Contains(key) || PlatformTelemetryKeys.IsScalar(value);

    // MCP SDK spans carry the method, tool and prompt names the caller sent, in tags and in the
    // span's name ("tools/call <name>"). Names the server did not register are caller text:
    // they become McpVocabulary.Unknown, and the span's name is rebuilt from what is left.
    private void NameMcpSpan(Activity data)
    {
        if (data.GetTagItem("mcp.method.name") is not string method)
        {
            return;
        }

        if (!McpVocabulary.Methods.Contains(method))
        {
            method = McpVocabulary.Unknown;
            data.SetTag("mcp.method.name", method);
        }

        var target = string.Empty;
        if (data.GetTagItem("gen_ai.tool.name") is string tool)
        {
            target = _vocabulary?.IsTool(tool) == true ? tool : McpVocabulary.Unknown;
            data.SetTag("gen_ai.tool.name", target);
        }
        else if (data.GetTagItem("gen_ai.prompt.name") is string prompt)
        {
            target = _vocabulary?.IsPrompt(prompt) == true ? prompt : McpVocabulary.Unknown;
            data.SetTag("gen_ai.prompt.name", target);
        }

        data.DisplayName = target.Length == 0 ? method : $"{method} {target}";

        // The trace's root is the HTTP request that carried the message ("POST /mcp"), the first
        // span a reader sees: name it after the call (MCP semantic conventions), from the same
        // cleaned method and name. It ends after this span, so it is named in its own OnEnd.
        if (data.Parent is { Kind: ActivityKind.Server } request && request.GetTagItem("http.request.method") is string
            && request.GetTagItem("mcp.method.name") is null)
        {
            request.SetTag("mcp.method.name", method);
            if (data.GetTagItem("gen_ai.tool.name") is not null)
            {
                request.SetTag("gen_ai.tool.name", target);
            }
            else if (data.GetTagItem("gen_ai.prompt.name") is not null)
            {
                request.SetTag("gen_ai.prompt.name", target);
            }
        }
    }

    private static void RenameHttpSpan(Activity data)
    {
        // Span names of unmatched requests or client calls could carry a path; rebuild them
        // from what is allowed (the route is a template, never the request's values).
        if (data.GetTagItem("http.request.method") is not string method || data.GetTagItem("mcp.method.name") is not null)
        {
            // Requests that carried an MCP message are named after it (NameMcpSpan).
            return;
        }

        data.DisplayName = data.GetTagItem("http.route") is string route && data.Kind == ActivityKind.Server
            ? $"{method} {route}"
            : method;
    }
}
