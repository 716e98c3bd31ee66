using System.Diagnostics.Metrics;
using McpPlatform.Core;
using McpPlatform.McpServer.Pipeline;
using McpPlatform.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;

namespace McpPlatform.McpServer.Tests;

public sealed class ToolCallMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];

    public ToolCallMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ToolCallMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    [Fact]
    public void Record_RegisteredTool_KeepsItsName_AndCallerTypedNamesBecomeUnknown()
    {
        var metrics = new ToolCallMetrics(_services.GetRequiredService<IMeterFactory>(), new Vocabulary("search_knowledge"));

        metrics.Record("search_knowledge", ToolCallMetrics.Outcomes.Ok, 3.5);
        metrics.Record("contoso-secret-tool", ToolCallMetrics.Outcomes.Error, 1);
        metrics.Record(null, ToolCallMetrics.Outcomes.Error, 1);

        var calls = _measurements.Where(m => m.Instrument == ToolCallMetrics.CallsInstrument).ToList();
        calls.Select(m => (string?)m.Tags["gen_ai.tool.name"]).ShouldBe(["search_knowledge", McpVocabulary.Unknown, McpVocabulary.Unknown]);
        calls.Select(m => (string?)m.Tags["outcome"]).ShouldBe(["ok", "error", "error"]);
        calls.ShouldAllBe(m => m.Tags.Count == 2);
        var duration = _measurements.First(m => m.Instrument == ToolCallMetrics.DurationInstrument);
        duration.Value.ShouldBe(3.5);
        duration.Tags.Keys.ShouldBe(["gen_ai.tool.name"]);
    }

    [Fact]
    public void OutcomeOf_TellsResultsErrorsAndPlatformDenialsApart()
    {
        Ended(call => call.Returned(new CallToolResult { Content = [] })).ShouldBe(ToolCallMetrics.Outcomes.Ok);
        Ended(call => call.Fail(ReasonCodes.All[0], "slow down", 1)).ShouldBe(ToolCallMetrics.Outcomes.Denied);
        Ended(call => call.Fail("knowledge.bad_url", "no")).ShouldBe(ToolCallMetrics.Outcomes.Error);
        Ended(call => call.Returned(new CallToolResult { IsError = true, Content = [] })).ShouldBe(ToolCallMetrics.Outcomes.Error);
        Ended(call => call.Cancelled()).ShouldBe(ToolCallMetrics.Outcomes.Error);
        Ended(_ => { }).ShouldBe(ToolCallMetrics.Outcomes.Error);

        static string Ended(Action<ToolCall> end)
        {
            var call = new ToolCall();
            end(call);
            return ToolCallMetrics.OutcomeOf(call.Outcome);
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        lock (_measurements)
        {
            _measurements.Add((instrument.Name, value, copy));
        }
    }

    private sealed class Vocabulary(params string[] tools) : IMcpVocabulary
    {
        public bool IsTool(string name) => tools.Contains(name);

        public bool IsPrompt(string name) => false;
    }
}
