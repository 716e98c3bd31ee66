namespace McpPlatform.ToolsWorkspace.Tools;

/// <summary>The result of <c>list_connections</c>.</summary>
/// <param name="Connections">The caller tenant's connections, by name.</param>
public sealed record ConnectionList(IReadOnlyList<ConnectionSummary> Connections);
