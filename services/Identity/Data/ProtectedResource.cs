namespace McpPlatform.Identity.Data;

/// <summary>A resource (RFC 8707) the authorization server issues tokens for.</summary>
/// <param name="Uri">The resource indicator, also the token's one audience.</param>
/// <param name="Scope">The scope a token for this resource carries.</param>
/// <param name="ExchangeOnly">True when the only way to a token for it is RFC 8693 token exchange.</param>
/// <param name="ServiceScope">
/// When set, platform MCP servers may get a client-credentials token for this resource with this
/// scope and no tenant: a platform API they call as themselves (quota admission), never for a tenant's data.
/// </param>
/// <param name="ExchangeScope">
/// When set, the scope an exchanged token for this resource carries instead of <paramref name="Scope"/>:
/// what a server acting for a caller may do differs from what the caller may do themselves
/// (secrets: users write with <c>secrets:write</c>, servers read with <c>secrets:read</c>).
/// </param>
public sealed record ProtectedResource(string Uri, string Scope, bool ExchangeOnly, string? ServiceScope = null, string? ExchangeScope = null)
{
    /// <summary>The scope of an exchanged token for this resource.</summary>
    public string TokenExchangeScope => ExchangeScope ?? Scope;
}
