namespace McpPlatform.AppHost.Infrastructure;

/// <summary>Result of asking for a container engine.</summary>
/// <param name="Answered">Whether an engine answered.</param>
/// <param name="Detail">Which engine answered, or what failed.</param>
public sealed record ContainerEngineStatus(bool Answered, string Detail);
