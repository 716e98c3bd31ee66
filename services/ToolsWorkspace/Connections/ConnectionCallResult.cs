using System.ComponentModel;

namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>What a connection's API answered, as a tool result carries it.</summary>
/// <param name="Status">The HTTP status (redirects are returned, never followed).</param>
/// <param name="Headers">The response headers a caller may see: <c>content-type</c> only.</param>
/// <param name="Body">The body as UTF-8 text, cut at the configured cap.</param>
/// <param name="Truncated">True when the body was longer than the cap.</param>
public sealed record ConnectionCallResult(
    [property: Description("The HTTP status the API answered with. Redirects are not followed.")] int Status,
    [property: Description("Response headers: content-type only.")] IReadOnlyDictionary<string, string> Headers,
    [property: Description("The response body as text (invalid UTF-8 replaced), cut at the size cap.")] string Body,
    [property: Description("True when the body was longer than the cap and was cut.")] bool Truncated);
