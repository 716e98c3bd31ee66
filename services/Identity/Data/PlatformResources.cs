using McpPlatform.Core;

namespace McpPlatform.Identity.Data;

/// <summary>A resource (RFC 8707) the authorization server issues tokens for.</summary>
/// <param name="Uri">The resource indicator, also the token's one audience.</param>
/// <param name="Scope">The scope a token for this resource carries.</param>
/// <param name="ExchangeOnly">True when the only way to a token for it is RFC 8693 token exchange.</param>
/// <param name="ServiceScope">
/// When set, platform MCP servers may get a client-credentials token for this resource with this
/// scope and no tenant: a platform API they call as themselves (quota admission), never for a tenant's data.
/// </param>
public sealed record ProtectedResource(string Uri, string Scope, bool ExchangeOnly, string? ServiceScope = null);

/// <summary>
/// The registered resources, built from <see cref="PlatformServices"/> so that no URL is written twice.
/// A resource that is not here cannot be an audience.
/// </summary>
public static class PlatformResources
{
    /// <summary>The tools-knowledge MCP server.</summary>
    public static readonly ProtectedResource ToolsKnowledge =
        new(PlatformServices.ToolsKnowledge.LocalMcpResource, PlatformScopes.McpTools, ExchangeOnly: false);

    /// <summary>The tools-workspace MCP server.</summary>
    public static readonly ProtectedResource ToolsWorkspace =
        new(PlatformServices.ToolsWorkspace.LocalMcpResource, PlatformScopes.McpTools, ExchangeOnly: false);

    /// <summary>The downstream API: reachable only with an exchanged token.</summary>
    public static readonly ProtectedResource Downstream =
        new(PlatformServices.Downstream.LocalOrigin, PlatformScopes.DownstreamApi, ExchangeOnly: true);

    /// <summary>
    /// The quota service: MCP servers ask it for admission as themselves (<c>quota:admit</c>); users
    /// read usage with <c>quota:read</c> (tenant admins their tenant, operators any).
    /// </summary>
    public static readonly ProtectedResource Quota =
        new(PlatformServices.Quota.LocalOrigin, PlatformScopes.QuotaRead, ExchangeOnly: false, ServiceScope: PlatformScopes.QuotaAdmit);

    /// <summary>
    /// The tenant audit collector: MCP servers send records as themselves (<c>audit:write</c>, no
    /// tenant); users read with <c>audit:read</c> (their tenant's trail; operators under a grant).
    /// </summary>
    public static readonly ProtectedResource CollectorTenant =
        new(PlatformServices.CollectorTenant.LocalOrigin, PlatformScopes.AuditRead, ExchangeOnly: false, ServiceScope: PlatformScopes.AuditWrite);

    /// <summary>Every registered resource.</summary>
    public static readonly IReadOnlyList<ProtectedResource> All = [ToolsKnowledge, ToolsWorkspace, Downstream, Quota, CollectorTenant];

    /// <summary>The registered resource with this exact URI, or null. Comparison is ordinal: audiences are exact.</summary>
    /// <param name="uri">A resource indicator from a request or a token.</param>
    /// <returns>The resource, or null when it is not registered.</returns>
    public static ProtectedResource? Find(string? uri) =>
        All.FirstOrDefault(resource => string.Equals(resource.Uri, uri, StringComparison.Ordinal));
}

/// <summary>Names of the platform's own properties on OpenIddict applications.</summary>
public static class ClientProperties
{
    /// <summary>What the client is (<see cref="ClientKinds"/>); decides which grants make sense for it.</summary>
    public const string Kind = "mcpplatform_kind";

    /// <summary>On resource-server clients: the resource the server serves (tokens sent to it carry this audience).</summary>
    public const string Resource = "mcpplatform_resource";

    /// <summary>A string property of an application, or null when absent or not a string.</summary>
    /// <param name="properties">The application's properties.</param>
    /// <param name="name">The property, e.g. <see cref="Kind"/>.</param>
    /// <returns>The value, or null.</returns>
    public static string? Read(IReadOnlyDictionary<string, System.Text.Json.JsonElement>? properties, string name) =>
        properties is not null && properties.TryGetValue(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
            ? value.GetString()
            : null;
}

/// <summary>Values of <see cref="ClientProperties.Kind"/>.</summary>
public static class ClientKinds
{
    /// <summary>An agent bound to one tenant (client credentials).</summary>
    public const string Agent = "agent";

    /// <summary>An MCP server acting for callers (token exchange only).</summary>
    public const string ResourceServer = "resource_server";

    /// <summary>A public client driving a user's sign-in (authorization code + PKCE).</summary>
    public const string Public = "public";

    /// <summary>
    /// A platform service calling platform APIs as itself (identity sending its audit records):
    /// client credentials for its permitted service scopes only; no tenant, no token exchange.
    /// </summary>
    public const string PlatformService = "platform_service";
}
