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

    /// <summary>How often the retention job prunes every tenant's trail.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>True when records for this tenant are accepted.</summary>
    public bool IsKnown(string tenantId) => AcceptUnknownTenants || Tenants.ContainsKey(tenantId);

    /// <summary>The policy that applies to a tenant.</summary>
    public TenantAuditPolicy For(string tenantId) => Tenants.TryGetValue(tenantId, out var policy) ? policy : Default;
}

/// <summary>One tenant's retention and content policy.</summary>
public sealed class TenantAuditPolicy
{
    /// <summary>Records older than this are deleted.</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>Most records kept; the oldest beyond it are deleted.</summary>
    public long MaxRows { get; set; } = 1_000_000;

    /// <summary>Most bytes of records kept (as received); the oldest beyond it are deleted.</summary>
    public long MaxBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Whether raw tool arguments are kept; when false the collector strips them even if a server sent them.</summary>
    public bool RawArguments { get; set; }
}

/// <summary>Operator access grants (configuration section <c>AuditGrants</c>).</summary>
public sealed class AuditGrantOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "AuditGrants";

    /// <summary>Longest grant an operator may ask for.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Approval by policy instead of a second operator.</summary>
    public PolicyApprovalOptions PolicyApproval { get; set; } = new();
}

/// <summary>When a grant is approved without a second operator.</summary>
public sealed class PolicyApprovalOptions
{
    /// <summary>Off by default: a second operator approves.</summary>
    public bool Enabled { get; set; }

    /// <summary>Grants up to this long are approved by policy when <see cref="Enabled"/>.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(15);
}
