namespace McpPlatform.Core;

/// <summary>
/// One part of the platform: its Aspire resource name and its fixed local URL
/// (ARCHITECTURE.md, "The parts"). The single place these names and ports are written.
/// </summary>
/// <param name="ResourceName">The Aspire resource name, also the service's logical name.</param>
/// <param name="LocalPort">The fixed local HTTP port.</param>
public sealed record PlatformService(string ResourceName, int LocalPort)
{
    /// <summary>The fixed local base URL, e.g. <c>http://localhost:5100</c>.</summary>
    public Uri LocalUrl => new(LocalOrigin);

    /// <summary>The local origin without a trailing slash: <c>http://localhost:5700</c>. An API's audience.</summary>
    public string LocalOrigin => $"http://localhost:{LocalPort}";

    /// <summary>An MCP server's resource identifier and token audience: <c>http://localhost:5200/mcp</c>.</summary>
    public string LocalMcpResource => LocalOrigin + McpConventions.Path;
}

/// <summary>The platform's HTTP services, by resource name and fixed local URL.</summary>
public static class PlatformServices
{
    /// <summary>OpenIddict authorization server and tenant directory.</summary>
    public static readonly PlatformService Identity = new("identity", 5100);

    /// <summary>MCP server with tenant-isolated RAG tools.</summary>
    public static readonly PlatformService ToolsKnowledge = new("tools-knowledge", 5200);

    /// <summary>MCP server with workspace tools (wave 2).</summary>
    public static readonly PlatformService ToolsWorkspace = new("tools-workspace", 5210);

    /// <summary>Admission control: concurrency caps, rate, budgets.</summary>
    public static readonly PlatformService Quota = new("quota", 5300);

    /// <summary>Platform telemetry collector, tenant-free by construction.</summary>
    public static readonly PlatformService CollectorPlatform = new("collector-platform", 5400);

    /// <summary>Tenant audit collector with per-tenant access control.</summary>
    public static readonly PlatformService CollectorTenant = new("collector-tenant", 5500);

    /// <summary>Tenant and operator web UI (wave 2).</summary>
    public static readonly PlatformService Portal = new("portal", 5600);

    /// <summary>Sample downstream API that trusts only exchanged identity.</summary>
    public static readonly PlatformService Downstream = new("downstream", 5700);

    /// <summary>Every service above, for checks that must cover all of them.</summary>
    public static readonly IReadOnlyList<PlatformService> All =
        [Identity, ToolsKnowledge, ToolsWorkspace, Quota, CollectorPlatform, CollectorTenant, Portal, Downstream];
}

/// <summary>Names of infrastructure resources and their databases.</summary>
public static class InfrastructureResources
{
    /// <summary>The PostgreSQL server resource.</summary>
    public const string Postgres = "postgres";

    /// <summary>The Redis resource (quota state, distributed cache tier).</summary>
    public const string Redis = "redis";

    /// <summary>The Qdrant resource, present when Qdrant runs (containers, binary or endpoint).</summary>
    public const string Qdrant = "qdrant";

    /// <summary>The worker that creates databases and applies migrations before services start.</summary>
    public const string DbMigrator = "db-migrator";

    /// <summary>Database of the identity service (directory, OpenIddict stores).</summary>
    public const string IdentityDatabase = "identitydb";

    /// <summary>Database of the tenant audit collector.</summary>
    public const string AuditDatabase = "auditdb";

    /// <summary>Every application database the migrator owns.</summary>
    public static readonly IReadOnlyList<string> Databases = [IdentityDatabase, AuditDatabase];
}

/// <summary>Well-known endpoints every HTTP service exposes.</summary>
public static class HealthEndpoints
{
    /// <summary>Readiness: the service and its dependencies answer.</summary>
    public const string Health = "/health";

    /// <summary>Liveness: the process is up.</summary>
    public const string Alive = "/alive";
}
