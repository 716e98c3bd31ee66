using System.ComponentModel;

namespace McpPlatform.ToolsWorkspace.Tools;

/// <summary>A connection as <c>list_connections</c> shows it: no credential, no secret name.</summary>
/// <param name="Name">The connection's name.</param>
/// <param name="BaseUrl">The API's origin.</param>
/// <param name="AllowedPathPrefixes">Prefixes a call's path must start with.</param>
/// <param name="AllowedMethods">Methods a call may use.</param>
public sealed record ConnectionSummary(
    [property: Description("The name to pass to call_connection.")] string Name,
    [property: Description("The API's origin.")] string BaseUrl,
    [property: Description("A call's path must start with one of these.")] IReadOnlyList<string> AllowedPathPrefixes,
    [property: Description("The HTTP methods a call may use.")] IReadOnlyList<string> AllowedMethods);
