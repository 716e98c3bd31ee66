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

    /// <inheritdoc />
    public override void OnStart(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        // Baggage arrives from callers (W3C baggage header) and would be forwarded on every
        // outgoing call; no platform decision depends on it, so none is allowed.
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
        foreach (var activityEvent in data.Events)
        {
            ScrubTags(activityEvent.Tags, activityEvent.Name == ExceptionEvent);
        }

        foreach (var link in data.Links)
        {
            ScrubTags(link.Tags ?? [], isException: false);
        }
    }

    /// <summary>Whether an attribute may leave the service.</summary>
    /// <param name="key">Attribute key.</param>
    /// <param name="value">Attribute value.</param>
    /// <returns><c>true</c> when the key is allow-listed or the value cannot name anyone.</returns>
    public static bool IsAllowed(string key, object? value) =>
        PlatformTelemetryKeys.SpanAttributes.Contains(key) || PlatformTelemetryKeys.IsScalar(value);

    private static void RenameHttpSpan(Activity data)
    {
        // Span names of unmatched requests or client calls could carry a path; rebuild them
        // from what is allowed (the route is a template, never the request's values).
        if (data.GetTagItem("http.request.method") is not string method)
        {
            return;
        }

        data.DisplayName = data.GetTagItem("http.route") is string route && data.Kind == ActivityKind.Server
            ? $"{method} {route}"
            : method;
    }

    private static void ScrubTags(IEnumerable<KeyValuePair<string, object?>> tags, bool isException)
    {
        // Event and link tags are an ActivityTagsCollection whenever the SDKs create them; a
        // read-only set would be left to collector-platform, which checks events again.
        if (tags is not ActivityTagsCollection collection)
        {
            return;
        }

        if (isException)
        {
            var type = collection.TryGetValue("exception.type", out var t) ? t as string : null;
            var stack = collection.TryGetValue("exception.stacktrace", out var s) ? s as string : null;
            collection[PlatformTelemetryKeys.ExceptionFingerprint] = ExceptionFingerprint.Of(type, stack);
        }

        foreach (var key in collection.Where(tag => !IsAllowed(tag.Key, tag.Value)).Select(tag => tag.Key).ToList())
        {
            collection.Remove(key);
        }
    }
}
