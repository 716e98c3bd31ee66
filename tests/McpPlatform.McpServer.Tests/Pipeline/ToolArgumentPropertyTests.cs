using System.Text.Json;
using CsCheck;
using McpPlatform.Core;
using McpPlatform.McpServer.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace McpPlatform.McpServer.Tests.Pipeline;

/// <summary>
/// Generated argument objects (control characters, lone surrogates, huge and fractional numbers,
/// deep nesting, wrong types, duplicate and unknown keys) against the pipeline's argument checker:
/// it never throws, and whatever it lets through binds to the tool's parameters.
/// </summary>
public sealed class ToolArgumentPropertyTests
{
    private const int Samples = 1500;

    private static readonly McpServerTool s_tool = McpServerTool.Create(
        typeof(PipelineTestTools).GetMethod(nameof(PipelineTestTools.TypedNow))!,
        (Type?)null,
        new McpServerToolCreateOptions { Services = new ServiceCollection().AddSingleton<ToolRuns>().BuildServiceProvider() });

    private static readonly Dictionary<string, Type> s_parameters = typeof(PipelineTestTools).GetMethod(nameof(PipelineTestTools.TypedNow))!
        .GetParameters().Where(parameter => parameter.ParameterType != typeof(ToolRuns)).ToDictionary(parameter => parameter.Name!, parameter => parameter.ParameterType);

    private static readonly string[] s_names = [.. s_parameters.Keys];

    private static readonly JsonDocumentOptions s_deep = new() { MaxDepth = 512 };

    [Fact]
    public void Problem_AnyArguments_NeverThrowsAndWhatPassesBinds()
    {
        var schema = ToolArguments.SchemaOf(s_tool);
        JsonGen.ArgumentsObject(s_names).Sample(json =>
        {
            if (TryParse(json) is not { } arguments)
            {
                return;
            }

            var problem = ToolArguments.Problem(schema, arguments);

            if (problem is not null)
            {
                problem.ShouldMatch(@"^(Argument '[A-Za-z]+' |Unknown argument '|An argument has a name)");
                return;
            }

            arguments.Keys.ShouldBeSubsetOf(s_parameters.Keys);
            arguments.ShouldContainKey("query");
            foreach (var (name, value) in arguments)
            {
                var bound = Should.NotThrow(() => value.Deserialize(s_parameters[name], McpJsonUtilities.DefaultOptions), $"{name} = {value.GetRawText()}");
                if (name == "query")
                {
                    bound.ShouldNotBeNull();
                }
            }
        }, iter: Samples);
    }

    [Fact]
    public void Problem_WellTypedArguments_AreAccepted()
    {
        var schema = ToolArguments.SchemaOf(s_tool);
        var wellTyped = Gen.Select(JsonGen.Text, Gen.Int, Gen.Bool, Gen.Double.Where(double.IsFinite), JsonGen.Text.Array[0, 5])
            .Select((query, topK, exact, weight, tags) => JsonSerializer.Serialize(new { query, topK, exact, weight, tags }));
        wellTyped.Sample(json => ToolArguments.Problem(schema, Parse(json)).ShouldBeNull(json), iter: Samples);
    }

    // The MCP client cannot send these (it re-reads the arguments as .NET strings), a raw HTTP client can.
    [Theory]
    [InlineData("""{"query":"lone \ud800 high"}""", "Argument 'query' is not valid Unicode text (it has an unpaired surrogate).")]
    [InlineData("""{"query":"x","tags":["ok","\udc00"]}""", "Argument 'tags' has an item that is not valid Unicode text (it has an unpaired surrogate).")]
    [InlineData("""{"query":"x","filter":{"\ud83d":"v"}}""", "Argument 'filter' has a property name that is not valid Unicode text.")]
    public void Check_EscapedLoneSurrogate_InvalidText(string arguments, string message) =>
        ToolArguments.Check(ToolArguments.SchemaOf(s_tool), Parse(arguments)).ShouldBe((ToolErrorCodes.InvalidText, message));

    // A top-level name that is not valid Unicode never reaches the checker: the SDK cannot read
    // params.arguments into its dictionary of .NET strings and refuses the request itself.
    private static Dictionary<string, JsonElement>? TryParse(string json)
    {
        try
        {
            return Parse(json);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    // As the SDK reads params.arguments: a later duplicate key replaces an earlier one.
    private static Dictionary<string, JsonElement> Parse(string json)
    {
        using var document = JsonDocument.Parse(json, s_deep);
        var arguments = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            arguments[property.Name] = property.Value.Clone();
        }

        return arguments;
    }
}
