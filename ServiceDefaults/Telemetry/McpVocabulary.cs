namespace McpPlatform.ServiceDefaults.Telemetry;

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
