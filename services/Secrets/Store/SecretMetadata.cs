namespace McpPlatform.Secrets.Store;

/// <summary>What the secrets API says about a secret: everything except its value.</summary>
/// <param name="Name">The secret's name, unique within its tenant.</param>
/// <param name="AllowedServers">Client ids of the MCP servers that may read the value.</param>
/// <param name="AllowedTools">Tools of those servers the value may be read for.</param>
/// <param name="Version">1 when created, +1 per rotation.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">The user who created it (<c>sub</c>).</param>
/// <param name="RotatedAt">When its value was last replaced, if ever.</param>
/// <param name="RotatedBy">The user who last replaced it, if anyone.</param>
public sealed record SecretMetadata(
    string Name,
    IReadOnlyList<string> AllowedServers,
    IReadOnlyList<string> AllowedTools,
    int Version,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RotatedAt,
    string? RotatedBy);
