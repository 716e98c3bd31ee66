namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>The body of a secret read: which tool will use the value.</summary>
/// <param name="Tool">The tool's name.</param>
public sealed record SecretReadRequest(string Tool);
