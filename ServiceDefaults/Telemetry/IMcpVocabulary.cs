namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// The tool and prompt names an MCP server registered. A <c>tools/call</c> names its tool in
/// the caller's own words: the MCP SDK records that text as <c>gen_ai.tool.name</c> and in the
/// span's name even when no such tool exists, so only registered names are platform vocabulary
/// and anything else leaves the service as <see cref="McpVocabulary.Unknown"/>.
/// </summary>
public interface IMcpVocabulary
{
    /// <summary>Whether the server registered a tool of this name.</summary>
    /// <param name="name">The name a request carried.</param>
    /// <returns>True for a registered tool.</returns>
    bool IsTool(string name);

    /// <summary>Whether the server registered a prompt of this name.</summary>
    /// <param name="name">The name a request carried.</param>
    /// <returns>True for a registered prompt.</returns>
    bool IsPrompt(string name);
}
