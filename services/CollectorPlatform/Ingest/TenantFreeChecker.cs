using System.Buffers;
using Google.Protobuf.Collections;
using McpPlatform.CollectorPlatform.Extensions;
using McpPlatform.CollectorPlatform.Otlp;
using McpPlatform.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;

namespace McpPlatform.CollectorPlatform.Ingest;

/// <summary>
/// Defence in depth behind the services' own rules: every record is checked again against the same
/// allow-lists (<see cref="PlatformTelemetryKeys"/>) and against the known tenant and principal
/// values. Attributes outside the allow-list are removed, strings carrying a known value are
/// redacted, metric points with a foreign dimension are dropped; each case is a finding naming the
/// emitting service. The request is changed in place and is then safe to forward.
/// </summary>
public sealed class TenantFreeChecker
{
    /// <summary>What replaces a known value inside a string.</summary>
    public const string Redacted = "[redacted]";

    private const string UnknownService = "unknown";
    private static readonly HashSet<string> s_metricDimensions = new(PlatformTelemetryKeys.MetricDimensions, StringComparer.Ordinal);
    private readonly string[] _known;
    private readonly SearchValues<string>? _search;
    private readonly TimeProvider _time;

    /// <summary>Builds the checker from the configured known values.</summary>
    public TenantFreeChecker(IOptions<CollectorPlatformOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _known = [.. options.Value.KnownTenantValues
            .Where(v => v.Length >= CollectorPlatformOptions.MinKnownValueLength)
            .Distinct(StringComparer.OrdinalIgnoreCase)];
        _search = _known.Length > 0 ? SearchValues.Create(_known, StringComparison.OrdinalIgnoreCase) : null;
    }

    /// <summary>Checks and cleans a trace export; returns its findings.</summary>
    public List<Finding> Check(ExportTraceServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var findings = new List<Finding>();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var batch = new Batch(this, findings, CheckResource(resourceSpans.Resource, findings, "traces"), "traces");
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                batch.Scope(scopeSpans.Scope);
                foreach (var span in scopeSpans.Spans)
                {
                    span.Name = batch.Text(span.Name, "span.name");
                    batch.Attributes(span.Attributes, PlatformTelemetryKeys.SpanAttributes, "span");
                    if (span.Status is { Message.Length: > 0 } status)
                    {
                        batch.Add(FindingKinds.StatusMessage, "status.message");
                        status.Message = string.Empty;
                    }

                    foreach (var spanEvent in span.Events)
                    {
                        spanEvent.Name = batch.Text(spanEvent.Name, "event.name");
                        batch.Attributes(spanEvent.Attributes, PlatformTelemetryKeys.SpanAttributes, "event");
                    }

                    foreach (var link in span.Links)
                    {
                        batch.Attributes(link.Attributes, PlatformTelemetryKeys.SpanAttributes, "link");
                    }
                }
            }
        }

        return findings;
    }

    /// <summary>Checks and cleans a log export; returns its findings.</summary>
    public List<Finding> Check(ExportLogsServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var findings = new List<Finding>();
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var batch = new Batch(this, findings, CheckResource(resourceLogs.Resource, findings, "logs"), "logs");
            foreach (var scopeLogs in resourceLogs.ScopeLogs)
            {
                batch.Scope(scopeLogs.Scope);
                foreach (var log in scopeLogs.LogRecords)
                {
                    // The body is the message template: it cannot be allow-listed, only checked.
                    if (log.Body is not null)
                    {
                        batch.Value(log.Body, "log.body");
                    }

                    log.EventName = batch.Text(log.EventName, "log.event_name");
                    batch.Attributes(log.Attributes, PlatformTelemetryKeys.LogAttributes, "log");
                }
            }
        }

        return findings;
    }

    /// <summary>Checks and cleans a metric export; returns its findings and how many points were dropped.</summary>
    public (List<Finding> Findings, int DroppedPoints) Check(ExportMetricsServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var findings = new List<Finding>();
        var dropped = 0;
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            var batch = new Batch(this, findings, CheckResource(resourceMetrics.Resource, findings, "metrics"), "metrics");
            foreach (var scopeMetrics in resourceMetrics.ScopeMetrics)
            {
                batch.Scope(scopeMetrics.Scope);
                foreach (var metric in scopeMetrics.Metrics)
                {
                    metric.Name = batch.Text(metric.Name, "metric.name");
                    metric.Description = batch.Text(metric.Description, "metric.description");
                    batch.Attributes(metric.Metadata, PlatformTelemetryKeys.SpanAttributes, "metric.metadata");
                    dropped += metric.DataCase switch
                    {
                        Metric.DataOneofCase.Gauge => batch.Points(metric.Gauge.DataPoints, p => p.Attributes, p => p.Exemplars),
                        Metric.DataOneofCase.Sum => batch.Points(metric.Sum.DataPoints, p => p.Attributes, p => p.Exemplars),
                        Metric.DataOneofCase.Histogram => batch.Points(metric.Histogram.DataPoints, p => p.Attributes, p => p.Exemplars),
                        Metric.DataOneofCase.ExponentialHistogram => batch.Points(metric.ExponentialHistogram.DataPoints, p => p.Attributes, p => p.Exemplars),
                        Metric.DataOneofCase.Summary => batch.Points(metric.Summary.DataPoints, p => p.Attributes, _ => null),
                        _ => 0,
                    };
                }
            }
        }

        return (findings, dropped);
    }

    /// <summary>The emitting service: the resource's <c>service.name</c>, itself redacted if needed.</summary>
    public static string ServiceOf(Otlp.Resource? resource) =>
        resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue is { Length: > 0 } name
            ? name
            : UnknownService;

    /// <summary>Whether a string contains a known tenant or principal value.</summary>
    public bool ContainsKnown(string text) => _search is not null && text.AsSpan().ContainsAny(_search);

    private string CheckResource(Otlp.Resource? resource, List<Finding> findings, string signal)
    {
        var service = ServiceOf(resource);
        if (ContainsKnown(service))
        {
            service = RedactKnown(service);
        }

        if (resource is not null)
        {
            new Batch(this, findings, service, signal).Attributes(resource.Attributes, PlatformTelemetryKeys.ResourceAttributes, "resource", FindingKinds.ResourceAttributeNotAllowed);
        }

        return service;
    }

    private string RedactKnown(string text)
    {
        foreach (var value in _known)
        {
            var at = text.IndexOf(value, StringComparison.OrdinalIgnoreCase);
            while (at >= 0)
            {
                text = string.Concat(text.AsSpan(0, at), Redacted, text.AsSpan(at + value.Length));
                at = text.IndexOf(value, at + Redacted.Length, StringComparison.OrdinalIgnoreCase);
            }
        }

        return text;
    }

    /// <summary>The checks of one resource's records, which share the emitting service.</summary>
    private readonly struct Batch(TenantFreeChecker checker, List<Finding> findings, string service, string signal)
    {
        public void Add(string kind, string location) =>
            findings.Add(new(checker._time.GetUtcNow(), service, signal, kind, location));

        public string Text(string text, string location)
        {
            if (!checker.ContainsKnown(text))
            {
                return text;
            }

            Add(FindingKinds.KnownTenantValue, location);
            return checker.RedactKnown(text);
        }

        public void Value(AnyValue value, string location)
        {
            switch (value.ValueCase)
            {
                case AnyValue.ValueOneofCase.StringValue:
                    value.StringValue = Text(value.StringValue, location);
                    break;
                case AnyValue.ValueOneofCase.ArrayValue:
                    foreach (var item in value.ArrayValue.Values)
                    {
                        Value(item, location);
                    }

                    break;
                case AnyValue.ValueOneofCase.KvlistValue:
                    foreach (var pair in value.KvlistValue.Values)
                    {
                        pair.Key = Text(pair.Key, location);
                        if (pair.Value is not null)
                        {
                            Value(pair.Value, location);
                        }
                    }

                    break;
                case AnyValue.ValueOneofCase.BytesValue:
                    // Opaque bytes cannot be checked, so they cannot be kept.
                    value.StringValue = Redacted;
                    Add(FindingKinds.KnownTenantValue, location);
                    break;
                default:
                    break;
            }
        }

        public void Scope(InstrumentationScope? scope)
        {
            if (scope is null)
            {
                return;
            }

            scope.Name = Text(scope.Name, "scope.name");
            scope.Version = Text(scope.Version, "scope.version");
            Attributes(scope.Attributes, PlatformTelemetryKeys.SpanAttributes, "scope");
        }

        public void Attributes(RepeatedField<KeyValue> attributes, IReadOnlySet<string> allowed, string location, string kind = FindingKinds.AttributeNotAllowed)
        {
            for (var i = attributes.Count - 1; i >= 0; i--)
            {
                var attribute = attributes[i];
                if (!allowed.Contains(attribute.Key) && !IsScalar(attribute.Value))
                {
                    // The key goes into the finding (operators need to find the emitting code),
                    // unless it carries a known value itself.
                    Add(kind, $"{location}:{Key(attribute.Key)}");
                    attributes.RemoveAt(i);
                }
                else if (attribute.Value is not null)
                {
                    Value(attribute.Value, $"{location}:{attribute.Key}");
                }
            }
        }

        public int Points<TPoint>(RepeatedField<TPoint> points, Func<TPoint, RepeatedField<KeyValue>> attributesOf, Func<TPoint, RepeatedField<Exemplar>?> exemplarsOf)
        {
            var dropped = 0;
            for (var i = points.Count - 1; i >= 0; i--)
            {
                var attributes = attributesOf(points[i]);
                var foreign = attributes.FirstOrDefault(a => !s_metricDimensions.Contains(a.Key));
                if (foreign is not null)
                {
                    // Removing the dimension would merge series; the point is dropped instead.
                    Add(FindingKinds.MetricDimension, $"metric:{Key(foreign.Key)}");
                    points.RemoveAt(i);
                    dropped++;
                    continue;
                }

                foreach (var attribute in attributes)
                {
                    if (attribute.Value is not null)
                    {
                        Value(attribute.Value, $"metric:{attribute.Key}");
                    }
                }

                foreach (var exemplar in exemplarsOf(points[i]) ?? [])
                {
                    Attributes(exemplar.FilteredAttributes, s_metricDimensions, "exemplar");
                }
            }

            return dropped;
        }

        private string Key(string key) =>
            checker.ContainsKnown(key) ? Redacted : key.Length > 64 ? key[..64] : key;

        private static bool IsScalar(AnyValue? value) => value?.ValueCase is AnyValue.ValueOneofCase.IntValue
            or AnyValue.ValueOneofCase.DoubleValue or AnyValue.ValueOneofCase.BoolValue;
    }
}
