namespace McpPlatform.Policy.Model;

/// <summary>Extra platform attribute keys and audit retention per tier.</summary>
public sealed class TelemetryPolicy
{
    /// <summary>Attribute keys allowed on the platform pipeline beyond the built-in allow-lists.</summary>
    public List<string> ExtraAttributeKeys { get; set; } = [];

    /// <summary>Days the tenant audit trail is kept, by tier name.</summary>
    public Dictionary<string, int> AuditRetentionDays { get; set; } = new(StringComparer.Ordinal);
}
