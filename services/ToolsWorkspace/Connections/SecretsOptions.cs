using McpPlatform.Core;

namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>Where the secrets service is (configuration section <c>Workspace:Secrets</c>).</summary>
public sealed class SecretsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workspace:Secrets";

    /// <summary>The secrets service's base address.</summary>
    public string BaseAddress { get; set; } = PlatformServices.Secrets.LocalOrigin;

    /// <summary>The secrets service's resource identifier (the exchanged token's audience).</summary>
    public string Audience { get; set; } = PlatformServices.Secrets.LocalOrigin;
}
