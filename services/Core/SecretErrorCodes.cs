namespace McpPlatform.Core;

/// <summary>
/// Codes of the secrets service's refusals (docs/reason-codes.md, docs/secrets.md): the problem
/// <c>code</c> of its HTTP API, and the tool error code an MCP server reports when a secret read
/// for a tool call is refused.
/// </summary>
public static class SecretErrorCodes
{
    /// <summary>The caller's tenant has no secret of that name (another tenant's name answers the same).</summary>
    public const string NotFound = "secret.not_found";

    /// <summary>The secret exists but does not allow this server or this tool, or the token may not read values.</summary>
    public const string Denied = "secret.denied";

    /// <summary>The tenant already has a secret of that name (create); rotate it instead.</summary>
    public const string Exists = "secret.exists";

    /// <summary>The secrets database could not be reached; nothing was read or written. Retry shortly.</summary>
    public const string Unavailable = "secret.unavailable";

    /// <summary>The tenant's data key cannot be unwrapped with this service's key-encryption key.</summary>
    public const string KeyUnavailable = "secret.key_unavailable";
}
