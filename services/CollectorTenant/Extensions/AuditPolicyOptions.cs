namespace McpPlatform.CollectorTenant.Extensions;

/// <summary>Per-tenant audit policy (configuration section <c>AuditPolicy</c>).</summary>
public sealed class AuditPolicyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "AuditPolicy";

    /// <summary>The policy of tenants without their own entry.</summary>
    public TenantAuditPolicy Default { get; set; } = new();

    /// <summary>Policies by tenant id. A tenant listed here is known; an entry replaces the default as a whole.</summary>
    public Dictionary<string, TenantAuditPolicy> Tenants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// When false (the default), records for tenants not listed in <see cref="Tenants"/> are
    /// refused with 422 <c>audit.tenant_unknown</c>: a mistyped or forged tenant cannot open a trail.
    /// </summary>
    public bool AcceptUnknownTenants { get; set; }

    /// <summary>
    /// The client id identity sends its records as: the only sender whose <c>token_exchange</c>
    /// records are accepted (MCP servers write <c>tool_call</c> only).
    /// </summary>
    public string IdentityClientId { get; set; } = McpPlatform.Core.DemoDirectory.IdentityClientId;

    /// <summary>
    /// The client id the secrets service sends its records as: the only sender whose
    /// <c>secret_read</c> and <c>secret_change</c> records are accepted.
    /// </summary>
    public string SecretsClientId { get; set; } = McpPlatform.Core.DemoDirectory.SecretsClientId;

    /// <summary>
    /// The client ids of the platform's MCP servers: the only senders whose <c>connection_change</c>
    /// records are accepted (a tenant admin's change to a connection on <c>tools-workspace</c>).
    /// </summary>
    public string[] McpServerClientIds { get; set; } =
        [McpPlatform.Core.DemoDirectory.ToolsKnowledgeClientId, McpPlatform.Core.DemoDirectory.ToolsWorkspaceClientId];

    /// <summary>How often the retention job prunes every tenant's trail.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>True when records for this tenant are accepted.</summary>
    public bool IsKnown(string tenantId) => AcceptUnknownTenants || Tenants.ContainsKey(tenantId);

    /// <summary>The policy that applies to a tenant.</summary>
    public TenantAuditPolicy For(string tenantId) => Tenants.TryGetValue(tenantId, out var policy) ? policy : Default;
}
