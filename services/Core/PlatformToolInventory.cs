namespace McpPlatform.Core;

/// <summary>
/// The tools each MCP server registers, by server resource name: what a policy document may name
/// in its <c>tools</c> and <c>credentials</c> sections (docs/policy.md). Kept here, in code beside
/// the servers, rather than in the document, so a policy cannot allow a tool that does not exist;
/// McpPlatform.Architecture.Tests checks this list against the servers' <c>[McpServerTool]</c>
/// methods (docs/decisions/013-policy-document.md).
/// </summary>
public static class PlatformToolInventory
{
    /// <summary>The shared tool every MCP server registers (services/McpServer, <c>IdentityTools</c>).</summary>
    public const string WhoAmI = "whoami";

    /// <summary>Tool names by MCP server resource name.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ByServer = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [PlatformServices.ToolsKnowledge.ResourceName] =
        [
            WhoAmI, "downstream_echo", "ingest_document", "search_knowledge", "list_documents", "get_document",
            "delete_document", "export_knowledge",
        ],
        [PlatformServices.ToolsWorkspace.ResourceName] = [WhoAmI, "list_connections", "call_connection", "run_script"],
    };

    /// <summary>Every tool name some server registers.</summary>
    public static IReadOnlyList<string> AllTools { get; } = ByServer.Values.SelectMany(tools => tools).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
