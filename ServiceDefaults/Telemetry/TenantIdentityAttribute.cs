using Microsoft.Extensions.Compliance.Classification;

namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>Marks a log parameter or property as <see cref="PlatformTaxonomy.TenantIdentity"/>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.ReturnValue, AllowMultiple = true)]
public sealed class TenantIdentityAttribute : DataClassificationAttribute
{
    /// <summary>Classifies the target as tenant-identifying.</summary>
    public TenantIdentityAttribute()
        : base(PlatformTaxonomy.TenantIdentity)
    {
    }
}
