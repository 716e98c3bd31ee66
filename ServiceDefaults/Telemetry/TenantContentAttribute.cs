using Microsoft.Extensions.Compliance.Classification;

namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>Marks a log parameter or property as <see cref="PlatformTaxonomy.Content"/>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.ReturnValue, AllowMultiple = true)]
public sealed class TenantContentAttribute : DataClassificationAttribute
{
    /// <summary>Classifies the target as tenant content.</summary>
    public TenantContentAttribute()
        : base(PlatformTaxonomy.Content)
    {
    }
}
