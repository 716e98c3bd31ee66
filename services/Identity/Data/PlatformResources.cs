using McpPlatform.Core;

namespace McpPlatform.Identity.Data;

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

    /// <summary>
    /// The platform telemetry collector's read APIs (findings, tool-call counts): <c>telemetry:read</c>,
    /// granted to operators only. Its OTLP ingest takes per-service keys, not tokens (docs/telemetry.md).
    /// </summary>
    public static readonly ProtectedResource CollectorPlatform =
        new(PlatformServices.CollectorPlatform.LocalOrigin, PlatformScopes.TelemetryRead, ExchangeOnly: false);

    /// <summary>
    /// The secrets service: tenant admins manage their tenant's secrets with <c>secrets:write</c>
    /// (granted to tenant admins only); MCP servers read a value for one invocation with an
    /// exchanged token, which carries <c>secrets:read</c> and never <c>secrets:write</c>.
    /// </summary>
    public static readonly ProtectedResource Secrets =
        new(PlatformServices.Secrets.LocalOrigin, PlatformScopes.SecretsWrite, ExchangeOnly: false, ExchangeScope: PlatformScopes.SecretsRead);

    /// <summary>Every registered resource.</summary>
    public static readonly IReadOnlyList<ProtectedResource> All = [ToolsKnowledge, ToolsWorkspace, Downstream, Quota, CollectorTenant, CollectorPlatform, Secrets];

    /// <summary>The registered resource with this exact URI, or null. Comparison is ordinal: audiences are exact.</summary>
    /// <param name="uri">A resource indicator from a request or a token.</param>
    /// <returns>The resource, or null when it is not registered.</returns>
    public static ProtectedResource? Find(string? uri) =>
        All.FirstOrDefault(resource => string.Equals(resource.Uri, uri, StringComparison.Ordinal));
}
