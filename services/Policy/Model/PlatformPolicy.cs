using McpPlatform.Core;

namespace McpPlatform.Policy.Model;

/// <summary>
/// The platform policy document (AppHost/policy/platform-policy.yaml, schema beside it): one
/// object per section, each enforced where it belongs (docs/policy.md). Only valid documents
/// become instances of this type (<see cref="PolicyDocumentReader"/>).
/// </summary>
public sealed class PlatformPolicy
{
    /// <summary>The integer the author bumps with every change.</summary>
    public int Version { get; set; }

    /// <summary>The tenancy model and hybrid scopes; identity pins and enforces them.</summary>
    public TenancyOptions Tenancy { get; set; } = new();

    /// <summary>The tier of tenants that name none.</summary>
    public string DefaultTier { get; set; } = string.Empty;

    /// <summary>Limits by tier name.</summary>
    public Dictionary<string, PolicyLimits> Tiers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per-tenant tier and limits by tenant id.</summary>
    public Dictionary<string, TenantPolicy> Tenants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Bounds on one call's stated usage; null keeps quota's defaults.</summary>
    public PerCallPolicy? PerCall { get; set; }

    /// <summary>Allowed tools per tier or tenant (not enforced yet).</summary>
    public ToolsPolicy? Tools { get; set; }

    /// <summary>Secret readers and the egress allow-list (not enforced yet).</summary>
    public CredentialsPolicy? Credentials { get; set; }

    /// <summary>Tenant data handling (not enforced yet).</summary>
    public DataPolicy? Data { get; set; }

    /// <summary>Telemetry keys and audit retention (not enforced yet).</summary>
    public TelemetryPolicy? Telemetry { get; set; }
}
