using Microsoft.Extensions.Compliance.Classification;

namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>Marks a log parameter or property as <see cref="PlatformTaxonomy.Secret"/>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.ReturnValue, AllowMultiple = true)]
public sealed class SecretAttribute : DataClassificationAttribute
{
    /// <summary>Classifies the target as a secret.</summary>
    public SecretAttribute()
        : base(PlatformTaxonomy.Secret)
    {
    }
}
