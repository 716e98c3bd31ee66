namespace McpPlatform.Downstream.Apis;

/// <summary>The echo request body.</summary>
/// <param name="Message">Text to echo.</param>
public sealed record EchoRequest(string? Message);
