namespace McpPlatform.Secrets.Apis;

/// <summary>Body of <c>POST /v1/secrets</c>.</summary>
public sealed class CreateSecretRequest
{
    /// <summary>The new secret's name.</summary>
    public string? Name { get; set; }

    /// <summary>The value (write-only: no response ever returns it to a user).</summary>
    public string? Value { get; set; }

    /// <summary>Client ids of the MCP servers that may read the value.</summary>
    public List<string?>? AllowedServers { get; set; }

    /// <summary>Tools the value may be read for.</summary>
    public List<string?>? AllowedTools { get; set; }
}
