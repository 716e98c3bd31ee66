using System.Text.Json;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>
/// Spans found in OTLP JSON, whichever writer produced it (collector-platform's received view,
/// protobuf's JSON formatter; the dashboard's telemetry API): every object with a span id and a name.
/// </summary>
internal static class OtlpSpans
{
    public sealed record SpanInfo(string TraceId, string SpanId, string ParentSpanId, string Name, string Kind, IReadOnlyDictionary<string, string> Attributes)
    {
        public bool IsClient => Kind is "SPAN_KIND_CLIENT" or "3" or "Client" or "client";

        public bool IsServer => Kind is "SPAN_KIND_SERVER" or "2" or "Server" or "server";

        public bool IsRoot => ParentSpanId.Length == 0 || ParentSpanId.All(c => c is '0' or 'A' or '=');
    }

    public static List<SpanInfo> In(string json)
    {
        var spans = new List<SpanInfo>();
        using var document = JsonDocument.Parse(json);
        Walk(document.RootElement, spans);
        return spans;
    }

    private static void Walk(JsonElement element, List<SpanInfo> spans)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, spans);
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("spanId", out var spanId) && element.TryGetProperty("name", out var name))
            {
                spans.Add(new SpanInfo(
                    Text(element, "traceId"), spanId.ToString(), Text(element, "parentSpanId"), name.ToString(), Text(element, "kind"), Attributes(element)));
                return;
            }

            foreach (var property in element.EnumerateObject())
            {
                Walk(property.Value, spans);
            }
        }
    }

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : string.Empty;

    private static Dictionary<string, string> Attributes(JsonElement span)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (span.TryGetProperty("attributes", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var attribute in list.EnumerateArray())
            {
                if (attribute.TryGetProperty("key", out var key) && attribute.TryGetProperty("value", out var value))
                {
                    attributes[key.ToString()] = value.ValueKind == JsonValueKind.Object
                        ? string.Concat(value.EnumerateObject().Select(p => p.Value.ToString()))
                        : value.ToString();
                }
            }
        }

        return attributes;
    }
}
