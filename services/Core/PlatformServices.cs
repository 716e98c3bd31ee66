namespace McpPlatform.Core;

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

    /// <summary>Tenant-scoped secrets: values write-only for people, read per invocation with an exchanged token.</summary>
    public static readonly PlatformService Secrets = new("secrets", 5800);

    /// <summary>Stand-in for a third-party API that authenticates with per-tenant API keys.</summary>
    public static readonly PlatformService Partner = new("partner", 5710);

    /// <summary>Every service above, for checks that must cover all of them.</summary>
    public static readonly IReadOnlyList<PlatformService> All =
        [Identity, ToolsKnowledge, ToolsWorkspace, Quota, CollectorPlatform, CollectorTenant, Portal, Downstream, Secrets, Partner];
}
