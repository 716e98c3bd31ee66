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

/// <summary>MCP's own vocabulary: the protocol's method names, and the stand-in for anything else.</summary>
public static class McpVocabulary
{
    /// <summary>What an unregistered tool or prompt name, or an unknown method, is exported as.</summary>
    public const string Unknown = "(unknown)";

    /// <summary>The methods of the MCP specification (requests and notifications, both directions).</summary>
    public static readonly IReadOnlySet<string> Methods = new HashSet<string>(StringComparer.Ordinal)
    {
        "initialize", "ping", "tools/list", "tools/call", "prompts/list", "prompts/get",
        "resources/list", "resources/templates/list", "resources/read", "resources/subscribe", "resources/unsubscribe",
        "completion/complete", "logging/setLevel", "sampling/createMessage", "elicitation/create", "roots/list",
        "tasks/get", "tasks/result", "tasks/list", "tasks/cancel",
        "notifications/initialized", "notifications/cancelled", "notifications/progress", "notifications/message",
        "notifications/resources/updated", "notifications/resources/list_changed", "notifications/tools/list_changed",
        "notifications/prompts/list_changed", "notifications/roots/list_changed", "notifications/elicitation/complete",
        "notifications/tasks/status",
    };
}
