namespace McpPlatform.Secrets.Store;

/// <summary>A secret to create. The caller owns <paramref name="Value"/> and zeroes it after the call.</summary>
/// <param name="Name">The validated name.</param>
/// <param name="Value">The value's UTF-8 bytes.</param>
/// <param name="AllowedServers">Validated server client ids.</param>
/// <param name="AllowedTools">Validated tool names.</param>
/// <param name="CreatedBy">The user creating it.</param>
public sealed record NewSecret(string Name, byte[] Value, IReadOnlyList<string> AllowedServers, IReadOnlyList<string> AllowedTools, string CreatedBy);
