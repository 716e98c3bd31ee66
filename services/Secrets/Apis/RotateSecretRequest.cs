namespace McpPlatform.Secrets.Apis;

/// <summary>Body of <c>POST /v1/secrets/{name}/rotate</c>.</summary>
public sealed class RotateSecretRequest
{
    /// <summary>The new value; the previous one is not kept.</summary>
    public string? Value { get; set; }
}
