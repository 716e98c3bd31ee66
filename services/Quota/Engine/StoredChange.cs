namespace McpPlatform.Quota.Engine;

/// <summary>A change record as stored: limits kept as the JSON strings the script saw.</summary>
internal sealed record StoredChange(string Tenant, string By, string At, string? Old, string? New);
