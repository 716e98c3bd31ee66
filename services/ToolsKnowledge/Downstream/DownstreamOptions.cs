using McpPlatform.Core;

namespace McpPlatform.ToolsKnowledge.Downstream;

/// <summary>Where the downstream API is, as an audience (configuration section <c>Downstream</c>).</summary>
public sealed class DownstreamOptions
{
    /// <summary>The downstream API's resource identifier (token audience).</summary>
    public string Audience { get; set; } = PlatformServices.Downstream.LocalOrigin;
}
