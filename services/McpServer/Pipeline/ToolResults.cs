using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace McpPlatform.McpServer.Pipeline;

/// <summary>Successful tool results with structured content, the counterpart of <see cref="ToolErrors"/>.</summary>
public static class ToolResults
{
    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// A result whose <c>structuredContent</c> is <paramref name="value"/> (camelCase JSON) and whose
    /// text content is the same JSON, for clients that read only text.
    /// </summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="value">The result.</param>
    /// <returns>The tool result.</returns>
    public static CallToolResult Structured<T>(T value)
    {
        var element = value is JsonElement json ? json : JsonSerializer.SerializeToElement(value, s_web);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = element.GetRawText() }],
            StructuredContent = element,
        };
    }
}
