using McpPlatform.Core;

namespace McpPlatform.McpServer.Quota;

/// <summary>Where and how MCP servers reach <c>quota</c> (configuration section <c>Quota</c>).</summary>
public sealed class QuotaClientOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Quota";

    /// <summary>Base address; by default the resource name, resolved by service discovery.</summary>
    public Uri BaseAddress { get; set; } = new($"http://{PlatformServices.Quota.ResourceName}");

    /// <summary>The audience (resource) of the service token; the quota service's origin.</summary>
    public string Audience { get; set; } = PlatformServices.Quota.LocalOrigin;

    /// <summary>Upper bound on one admit or release, after which admission is denied (fail closed).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);
}
