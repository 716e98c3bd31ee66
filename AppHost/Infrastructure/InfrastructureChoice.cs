namespace McpPlatform.AppHost.Infrastructure;

/// <summary>The chosen mode and the sentence the AppHost logs to say why.</summary>
/// <param name="Mode">The chosen mode.</param>
/// <param name="Reason">Why it was chosen, for the start-up log.</param>
public sealed record InfrastructureChoice(InfrastructureMode Mode, string Reason);
