using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Core;
using ModelContextProtocol.Protocol;

namespace McpPlatform.McpServer.Pipeline;

/// <summary>
/// Expected failures as MCP tool results (docs/architecture.md: denials are tool results with
/// <c>isError: true</c> and <c>structuredContent.error</c>), never exceptions or HTTP 500s.
/// </summary>
internal static class ToolErrors
{
    /// <summary>Builds an error result with a reason code, a message and an optional retry hint.</summary>
    /// <param name="code">A documented reason code.</param>
    /// <param name="message">A sentence for the caller (and the model) to read.</param>
    /// <param name="retryAfterSeconds">When waiting helps, how long.</param>
    /// <returns>The tool result.</returns>
    public static CallToolResult Create(string code, string message, int? retryAfterSeconds = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (retryAfterSeconds is not null)
        {
            error["retryAfterSeconds"] = retryAfterSeconds.Value;
        }

        return new CallToolResult
        {
            IsError = true,
            Content = [new TextContentBlock { Text = $"{code}: {message}" }],
            StructuredContent = JsonSerializer.SerializeToElement(new JsonObject { ["error"] = error }),
        };
    }

    /// <summary>Whether an error code is a platform reason code: admission (or another platform check) refused the call and the tool did not run.</summary>
    /// <param name="code">The code of an error result (<see cref="ToolCall.Code"/>).</param>
    /// <returns>True for a denial; false for a tool's own error or no code.</returns>
    public static bool IsDenial(string? code) => code is not null && ReasonCodes.All.Contains(code);
}
