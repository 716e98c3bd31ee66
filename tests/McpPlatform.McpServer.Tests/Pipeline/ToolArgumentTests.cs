using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Core;
using McpPlatform.McpServer.Pipeline;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpPlatform.McpServer.Tests.Pipeline;

/// <summary>
/// Arguments that do not fit the tool's declared input schema, sent by a real MCP client to the
/// second MCP server: the pipeline answers <c>request.invalid_argument</c> naming the argument,
/// audited and counted as an error, and the tool does not run.
/// </summary>
public sealed class ToolArgumentTests(PipelineServer server) : IClassFixture<PipelineServer>
{
    private const string Tool = PipelineTestTools.Typed;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("""{"query":5}""", "Argument 'query' must be a string.")]
    [InlineData("""{}""", "Argument 'query' is required.")]
    [InlineData("""{"topK":3}""", "Argument 'query' is required.")]
    [InlineData("""{"query":"x","foo":1}""", "Unknown argument 'foo'.")]
    [InlineData("""{"query":"x","bad name\n":1}""", "An argument has a name this tool does not take.")]
    [InlineData("""{"query":null}""", "Argument 'query' must be a string.")]
    [InlineData("""{"query":"x","topK":99999999999}""", "Argument 'topK' must be an integer from -2147483648 to 2147483647.")]
    [InlineData("""{"query":"x","topK":1e400}""", "Argument 'topK' must be an integer from -2147483648 to 2147483647.")]
    [InlineData("""{"query":"x","topK":1.5}""", "Argument 'topK' must be an integer from -2147483648 to 2147483647.")]
    [InlineData("""{"query":"x","topK":"5"}""", "Argument 'topK' must be an integer.")]
    [InlineData("""{"query":"x","topK":null}""", "Argument 'topK' must be an integer.")]
    [InlineData("""{"query":"x","exact":"true"}""", "Argument 'exact' must be true or false.")]
    [InlineData("""{"query":"x","weight":1e999}""", "Argument 'weight' must be a number in range.")]
    [InlineData("""{"query":"x","weight":[1]}""", "Argument 'weight' must be a number or null.")]
    [InlineData("""{"query":"x","tags":"a"}""", "Argument 'tags' must be an array or null.")]
    [InlineData("""{"query":"x","tags":["a",1]}""", "Argument 'tags' has an item that must be a string or null.")]
    [InlineData("""{"query":"x","filter":{"k":{"deep":[[[[1]]]]}}}""", "Argument 'filter' has a value that must be a string or null.")]
    [InlineData("""{"query":"x","day":"Someday"}""", "Argument 'day' must be one of: Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday.")]
    public async Task Arguments_NotFittingTheSchema_InvalidArgumentNamingItAndToolNotRun(string arguments, string message)
    {
        var ranBefore = server.Runs.Of(Tool);
        await using var client = await server.ConnectAsync(server.Token(PipelineServer.FreeTenant), Token);

        var result = await CallAsync(client, arguments, NewInvocationId());

        result.IsError.ShouldBe(true);
        var error = result.StructuredContent!.Value.GetProperty("error");
        error.GetProperty("code").GetString().ShouldBe(ToolErrorCodes.InvalidArgument, Text(result));
        error.GetProperty("message").GetString().ShouldBe(message);
        server.Runs.Of(Tool).ShouldBe(ranBefore);
    }

    [Theory]
    [InlineData("""{"query":"x"}""")]
    [InlineData("""{"query":"","topK":-2147483648,"exact":true,"weight":null,"tags":null,"filter":null,"day":"friday"}""")]
    [InlineData("""{"query":"x","topK":2147483647,"weight":-1.5e300,"tags":[],"filter":{"k":"v","n":null},"day":"Sunday"}""")]
    public async Task Arguments_FittingTheSchema_ToolRuns(string arguments)
    {
        var ranBefore = server.Runs.Of(Tool);
        await using var client = await server.ConnectAsync(server.Token(PipelineServer.FreeTenant), Token);

        var result = await CallAsync(client, arguments, NewInvocationId());

        result.IsError.ShouldNotBe(true, Text(result));
        server.Runs.Of(Tool).ShouldBe(ranBefore + 1);
    }

    [Fact]
    public async Task Arguments_Invalid_AuditedAndCountedAsErrorWithoutALease()
    {
        const string tenant = "tenant-bad-arguments";
        var countedBefore = server.Calls(Tool, ToolCallMetrics.Outcomes.Error);
        await using var client = await server.ConnectAsync(server.Token(tenant), Token);
        var invocation = NewInvocationId();

        var result = await CallAsync(client, """{"query":"x","topK":"many"}""", invocation);

        result.IsError.ShouldBe(true);
        server.Calls(Tool, ToolCallMetrics.Outcomes.Error).ShouldBe(countedBefore + 1);
        var record = await server.AuditRecordAsync(invocation);
        record.TenantId.ShouldBe(tenant);
        record.Tool.ShouldBe(Tool);
        record.Outcome.ShouldBe(AuditOutcomes.Error);
        record.ReasonCode.ShouldBe(ToolErrorCodes.InvalidArgument);
        // Refused before admission: the tenant's budget never saw the call.
        var usage = await server.Engine.GetUsageAsync(tenant, tenant);
        usage.TokensHour.Used.ShouldBe(0);
        usage.Concurrency.InFlight.ShouldBe(0);
    }

    private static string NewInvocationId() => $"test-{Guid.NewGuid():N}";

    private static ValueTask<CallToolResult> CallAsync(McpClient client, string arguments, string invocationId) =>
        client.CallToolAsync(new CallToolRequestParams
        {
            Name = Tool,
            Arguments = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(arguments),
            Meta = new JsonObject { [McpConventions.InvocationIdMetaKey] = invocationId },
        }, Token);

    private static string? Text(CallToolResult result) => result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text;
}
