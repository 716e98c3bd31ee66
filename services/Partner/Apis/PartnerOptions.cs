namespace McpPlatform.Partner.Apis;

/// <summary>The partner's configuration (section <c>Partner</c>).</summary>
public sealed class PartnerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Partner";

    /// <summary>API keys by tenant slug (<c>Partner:Keys:contoso</c>); empty values are ignored.</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many requests <c>/v1/requests</c> remembers (oldest dropped first).</summary>
    public int RequestLogCapacity { get; set; } = 1000;
}
