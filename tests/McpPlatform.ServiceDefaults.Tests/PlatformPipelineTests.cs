using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using McpPlatform.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace McpPlatform.ServiceDefaults.Tests;

/// <summary>
/// The at-source rules of the platform pipeline, with the same wiring AddServiceDefaults uses and an
/// exporter standing in for OTLP: canary values put everywhere a tenant value could travel must not
/// come out anywhere, while the platform's own vocabulary does.
/// </summary>
public sealed partial class PlatformPipelineTests
{
    private const string TenantCanary = "canary-tenant-7f3a";
    private const string UserCanary = "canary-user-91bc";
    private const string TextCanary = "canary-text-c0ffee";

    [Fact]
    public void Span_WithTenantAttributesBaggageAndException_ExportsOnlyAllowedData()
    {
        var sourceName = $"test-{Guid.NewGuid():N}";
        var exported = new List<Activity>();
        using var source = new ActivitySource(sourceName);
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .AddPlatformSpanRules()
            .AddSource(sourceName)
            .AddInMemoryExporter(exported)
            .Build())
        {
            using var activity = source.StartActivity("tools/call search", ActivityKind.Server)!;
            activity.AddBaggage("tenant", TenantCanary);
            activity.SetTag("tenant_id", TenantCanary);
            activity.SetTag("enduser.id", UserCanary);
            activity.SetTag("url.full", $"http://localhost/mcp?q={TextCanary}");
            activity.SetTag("http.request.method", "POST");
            activity.SetTag("http.route", "/mcp");
            activity.SetTag("mcp.method.name", "tools/call");
            activity.SetTag("documents", 3);
            activity.AddException(new InvalidOperationException($"no document {TextCanary} for {TenantCanary}"));
            activity.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection { ["attempt"] = 2 }));
            activity.SetStatus(ActivityStatusCode.Error, $"failed for {UserCanary}");

            // An event that carries tenant text cannot be scrubbed: its span is withheld.
            using var leaky = source.StartActivity("leaky")!;
            leaky.AddEvent(new ActivityEvent("note", tags: new ActivityTagsCollection { ["arguments"] = TextCanary }));
        }

        var span = exported.ShouldHaveSingleItem();
        var text = Render(span);
        TestContext.Current.TestOutputHelper?.WriteLine(text);
        text.ShouldNotContain(TenantCanary);
        text.ShouldNotContain(UserCanary);
        text.ShouldNotContain(TextCanary);
        span.GetTagItem("http.route").ShouldBe("/mcp");
        span.GetTagItem("documents").ShouldBe(3);
        // A request that carried an MCP message is named after the message, not "POST /mcp".
        span.DisplayName.ShouldBe("tools/call");
        span.Status.ShouldBe(ActivityStatusCode.Error);
        var exception = span.Events.Single(e => e.Name == "exception");
        exception.Tags.ShouldContain(t => t.Key == "exception.type" && (string?)t.Value == typeof(InvalidOperationException).FullName);
        exception.Tags.ShouldContain(t => t.Key == PlatformTelemetryKeys.ExceptionFingerprint);
        span.Events.Single(e => e.Name == "retry").Tags.ShouldContain(t => t.Key == "attempt");
    }

    [Fact]
    public void Log_WithClassifiedParametersScopesAndException_ExportsTemplateAndTypeOnly()
    {
        var exporter = new CapturingLogExporter();
        var console = new CapturingProvider();
        using var services = new ServiceCollection()
            .AddLogging(logging => logging
                .AddPlatformRedaction()
                .AddProvider(console)
                .AddOpenTelemetry(options => options.AddPlatformLogRules().AddProcessor(new SimpleLogRecordExportProcessor(exporter))))
            .BuildServiceProvider();
        var logger = services.GetRequiredService<ILogger<PlatformPipelineTests>>();

        using (logger.BeginScope(new Dictionary<string, object> { ["tenant_id"] = TenantCanary }))
        {
            LogSearch(logger, TenantCanary, UserCanary, "embedding", 4);
            LogFailure(logger, new InvalidOperationException($"document {TextCanary} of {TenantCanary} is corrupt"), "store");
            // A call that forgot classification: the allow-list still removes the value.
            logger.LogWarning("Unclassified {Arguments} for {Count} items", TextCanary, 2);
        }

        exporter.Records.Count.ShouldBe(3);
        var text = string.Join('\n', exporter.Records);
        text.ShouldNotContain(TenantCanary);
        text.ShouldNotContain(UserCanary);
        text.ShouldNotContain(TextCanary);
        text.ShouldContain("Search for {TenantId} by {UserId} failed at {Kind} after {Attempts} attempts.");
        text.ShouldContain("Kind=embedding");
        text.ShouldContain("Attempts=4");
        text.ShouldContain($"exception.type={typeof(InvalidOperationException).FullName}");
        text.ShouldContain($"{PlatformTelemetryKeys.ExceptionFingerprint}=");

        // Classification works for every provider, not only the exporter: the console the
        // dashboard shows gets the erased value too.
        console.Messages.ShouldNotContain(m => m.Contains(TenantCanary, StringComparison.Ordinal) || m.Contains(UserCanary, StringComparison.Ordinal));
        console.Messages.ShouldContain(m => m.Contains("embedding", StringComparison.Ordinal));
    }

    [Fact]
    public void Metric_WithTenantDimension_KeepsOnlyAllowedDimensions()
    {
        var meterName = $"test-{Guid.NewGuid():N}";
        var exported = new List<Metric>();
        using var meter = new Meter(meterName);
        using (var provider = Sdk.CreateMeterProviderBuilder()
            .AddPlatformMetricRules()
            .AddMeter(meterName)
            .AddInMemoryExporter(exported)
            .Build())
        {
            var calls = meter.CreateCounter<long>("calls");
            calls.Add(1, new("tenant_id", TenantCanary), new("gen_ai.tool.name", "search"));
            calls.Add(1, new("tenant_id", "other-tenant"), new("gen_ai.tool.name", "search"));
        }

        var points = new List<(string Keys, long Sum)>();
        foreach (ref readonly var point in exported.Last(m => m.Name == "calls").GetMetricPoints())
        {
            var keys = new List<string>();
            foreach (var tag in point.Tags)
            {
                keys.Add($"{tag.Key}={tag.Value}");
            }

            points.Add((string.Join(',', keys), point.GetSumLong()));
        }

        // The tenant dimension is aggregated away: one series per tool, both calls in it.
        points.ShouldHaveSingleItem().ShouldBe(("gen_ai.tool.name=search", 2L));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search for {TenantId} by {UserId} failed at {Kind} after {Attempts} attempts.")]
    private static partial void LogSearch(ILogger logger, [TenantIdentity] string tenantId, [TenantIdentity] string userId, string kind, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Kind} failed.")]
    private static partial void LogFailure(ILogger logger, Exception exception, string kind);

    [Theory]
    [InlineData("tools/call", "search", "tools/call search", "search")]
    [InlineData("tools/call", "canary-tool-5e1f", "tools/call (unknown)", "(unknown)")]
    [InlineData("canary/method-77", null, "(unknown)", null)]
    public void McpSpan_CallerNamedToolOrMethod_ExportsOnlyRegisteredNames(string method, string? tool, string expectedName, string? expectedTool)
    {
        var sourceName = $"test-{Guid.NewGuid():N}";
        var exported = new List<Activity>();
        using var source = new ActivitySource(sourceName);
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .ConfigureServices(services => services.AddSingleton<IMcpVocabulary>(new Vocabulary("search")))
            .AddPlatformSpanRules()
            .AddSource(sourceName)
            .AddInMemoryExporter(exported)
            .Build())
        {
            using var activity = source.StartActivity($"{method} {tool}", ActivityKind.Server)!;
            activity.SetTag("mcp.method.name", method);
            if (tool is not null)
            {
                activity.SetTag("gen_ai.tool.name", tool);
            }
        }

        var span = exported.ShouldHaveSingleItem();
        span.DisplayName.ShouldBe(expectedName);
        span.GetTagItem("gen_ai.tool.name").ShouldBe(expectedTool);
        span.GetTagItem("mcp.method.name").ShouldBe(method.StartsWith("canary", StringComparison.Ordinal) ? McpVocabulary.Unknown : method);
        // What OTLP exports: the display name and the tags (the operation name is not exported).
        string.Join('|', span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}").Prepend(span.DisplayName)).ShouldNotContain("canary");
    }

    [Fact]
    public void McpSdkMetric_CallerNamedToolAndMethod_AreNotDimensions()
    {
        var exported = new List<Metric>();
        using var meter = new Meter(PlatformTelemetryExtensions.McpSdkSource);
        using (var provider = Sdk.CreateMeterProviderBuilder()
            .AddPlatformMetricRules()
            .AddMeter(PlatformTelemetryExtensions.McpSdkSource)
            .AddInMemoryExporter(exported)
            .Build())
        {
            var duration = meter.CreateHistogram<double>("mcp.server.operation.duration");
            duration.Record(1.5, new("mcp.method.name", "canary/method"), new("gen_ai.tool.name", "canary-tool"), new("error.type", "tool_error"));
        }

        var keys = new List<string>();
        foreach (ref readonly var point in exported.Last(m => m.Name == "mcp.server.operation.duration").GetMetricPoints())
        {
            foreach (var tag in point.Tags)
            {
                keys.Add($"{tag.Key}={tag.Value}");
            }
        }

        keys.ShouldBe(["error.type=tool_error"]);
    }

    private sealed class Vocabulary(params string[] tools) : IMcpVocabulary
    {
        public bool IsTool(string name) => tools.Contains(name);

        public bool IsPrompt(string name) => false;
    }

    private static string Render(Activity span)
    {
        var text = new StringBuilder().Append(span.DisplayName).Append('|').Append(span.OperationName).Append('|').Append(span.StatusDescription);
        foreach (var tag in span.TagObjects)
        {
            text.Append('|').Append(tag.Key).Append('=').Append(tag.Value);
        }

        foreach (var item in span.Baggage)
        {
            text.Append("|baggage:").Append(item.Key).Append('=').Append(item.Value);
        }

        foreach (var spanEvent in span.Events)
        {
            text.Append("|event:").Append(spanEvent.Name);
            foreach (var tag in spanEvent.Tags)
            {
                text.Append('|').Append(tag.Key).Append('=').Append(tag.Value);
            }
        }

        return text.ToString();
    }

    /// <summary>Renders what the OTLP log exporter reads from a record, at export time (records are pooled).</summary>
    private sealed class CapturingLogExporter : BaseExporter<LogRecord>
    {
        public List<string> Records { get; } = [];

        public override ExportResult Export(in Batch<LogRecord> batch)
        {
            foreach (var record in batch)
            {
                var text = new StringBuilder().Append(record.Body).Append('|').Append(record.FormattedMessage).Append('|').Append(record.Exception);
                foreach (var attribute in record.Attributes ?? [])
                {
                    text.Append('|').Append(attribute.Key).Append('=').Append(attribute.Value);
                }

                record.ForEachScope<object?>((scope, _) =>
                {
                    foreach (var item in scope)
                    {
                        text.Append("|scope:").Append(item.Key).Append('=').Append(item.Value);
                    }
                }, null);
                Records.Add(text.ToString());
            }

            return ExportResult.Success;
        }
    }

    /// <summary>Stands in for the console provider: keeps formatted messages.</summary>
    private sealed class CapturingProvider : ILoggerProvider
    {
        public List<string> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(Messages);

        public void Dispose()
        {
        }

        private sealed class Logger(List<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Add(formatter(state, exception));
        }
    }
}
