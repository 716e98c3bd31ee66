namespace McpPlatform.Secrets.Apis;

/// <summary>Body of <c>POST /v1/secrets/{name}/read</c>: the tool the reading server needs the value for.</summary>
public sealed class ReadSecretRequest
{
    /// <summary>The tool being called (it must be in the secret's allowed tools).</summary>
    public string? Tool { get; set; }
}
