using System.Text.Json;
using McpPlatform.AppHost.Tests.Mcp;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpPlatform.AppHost.Tests.Knowledge;

/// <summary>A demo agent's MCP client for the knowledge tools, waiting out rate denials (other tests flood the same tenant).</summary>
internal sealed class KnowledgeClient(McpClient client, string token) : IAsyncDisposable
{
    public string Token => token;

    public static async Task<KnowledgeClient> ContosoAsync(CancellationToken cancellationToken)
    {
        var token = await PlatformTokens.ContosoAgentAsync(cancellationToken);
        return new(await McpClientFactory.ConnectAsync(PlatformServices.ToolsKnowledge, token, cancellationToken), token);
    }

    public static async Task<KnowledgeClient> FabrikamAsync(CancellationToken cancellationToken)
    {
        var token = await PlatformTokens.FabrikamAgentAsync(cancellationToken);
        return new(await McpClientFactory.ConnectAsync(PlatformServices.ToolsKnowledge, token, cancellationToken), token);
    }

    /// <summary>Calls a tool; a quota rate or concurrency denial is retried after its hint (bounded), anything else is returned.</summary>
    public async Task<CallToolResult> CallAsync(string tool, Dictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        while (true)
        {
            var result = await client.CallToolAsync(tool, arguments, cancellationToken: cancellationToken);
            if (result.IsError != true || ErrorCode(result) is not (ReasonCodes.Rate or ReasonCodes.ConcurrencyTenant or ReasonCodes.ConcurrencyPrincipal))
            {
                return result;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"{tool} stayed denied by quota");
            await Task.Delay(TimeSpan.FromMilliseconds(250 + Random.Shared.Next(250)), cancellationToken);
        }
    }

    /// <summary>Calls a tool that must succeed and returns its structured content.</summary>
    public async Task<JsonElement> SucceedAsync(string tool, Dictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        var result = await CallAsync(tool, arguments, cancellationToken);
        result.IsError.ShouldNotBe(true, $"{tool} failed: {Text(result)}");
        return result.StructuredContent!.Value;
    }

    /// <summary>Calls a tool that must fail with a tool error and returns the error's code.</summary>
    public async Task<string> FailAsync(string tool, Dictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        var result = await CallAsync(tool, arguments, cancellationToken);
        result.IsError.ShouldBe(true, $"{tool} should have failed: {Text(result)}");
        var error = result.StructuredContent!.Value.GetProperty("error");
        error.GetProperty("message").GetString().ShouldNotBeNullOrWhiteSpace();
        return error.GetProperty("code").GetString()!;
    }

    /// <summary>
    /// A <c>tools/call</c> as raw JSON text (for inputs a well-behaved client library would not
    /// produce, such as an escaped lone surrogate). Returns the HTTP status and the JSON-RPC answer.
    /// </summary>
    public Task<(int Status, JsonElement? Message)> RawCallAsync(byte[] jsonBody, CancellationToken cancellationToken) =>
        McpClientFactory.RawCallAsync(PlatformServices.ToolsKnowledge, token, jsonBody, cancellationToken);

    public static byte[] ToolCallJson(string tool, string argumentsJson, string? invocationId = null) =>
        McpClientFactory.ToolCallJson(tool, argumentsJson, invocationId);

    public static string? ErrorCode(CallToolResult result) =>
        result.StructuredContent is { } content && content.TryGetProperty("error", out var error) ? error.GetProperty("code").GetString() : null;

    public static string Text(CallToolResult result) =>
        string.Join(" ", result.Content.OfType<TextContentBlock>().Select(block => block.Text));

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
