namespace McpPlatform.Architecture.Tests;

/// <summary>
/// Every project-to-project reference the repository may have, by project name without the
/// <c>McpPlatform.</c> prefix. A reference not written here fails <see cref="ProjectGraphTests"/>,
/// and so does an entry here that no project file has: a new dependency is an edit of this table,
/// and docs/architecture.md's diagram (checked against it) shows it.
/// </summary>
internal static class AllowedGraph
{
    public static readonly IReadOnlyDictionary<string, string[]> Edges = new Dictionary<string, string[]>
    {
        // Shared libraries
        ["Core"] = [],
        ["ServiceDefaults"] = ["Core"],
        ["ServiceClients"] = ["Core", "ServiceDefaults"],
        ["Audit"] = ["Core", "ServiceClients"],
        ["McpServer"] = ["Core", "ServiceDefaults", "Audit", "ServiceClients"],
        ["Quota.Engine"] = ["Core"],
        ["Policy"] = ["Core"],
        ["Knowledge"] = ["Core"],
        ["Identity.Data"] = ["Core"],
        ["CollectorTenant.Data"] = ["Core"],
        ["Secrets.Data"] = ["Core"],
        ["ToolsWorkspace.Data"] = ["Core"],

        // Deployable services
        ["Identity"] = ["Core", "ServiceDefaults", "Policy", "Audit", "Identity.Data"],
        ["ToolsKnowledge"] = ["Core", "ServiceDefaults", "McpServer", "ServiceClients", "Quota.Engine", "Knowledge"],
        ["ToolsWorkspace"] = ["Core", "ServiceDefaults", "McpServer", "ServiceClients", "Audit", "ToolWorker"],
        ["Quota"] = ["Core", "ServiceDefaults", "Policy", "Quota.Engine"],
        ["CollectorPlatform"] = ["Core", "ServiceDefaults"],
        ["CollectorTenant"] = ["Core", "ServiceDefaults"],
        ["Downstream"] = ["Core", "ServiceDefaults"],
        ["Secrets"] = ["Core", "ServiceDefaults", "Audit"],
        ["Partner"] = ["Core", "ServiceDefaults"],
        ["DbMigrator"] = ["Core", "ServiceDefaults", "Identity.Data", "CollectorTenant.Data", "Secrets.Data", "ToolsWorkspace.Data"],

        // Processes a service starts (built with it, shipped in its folder, no code shared)
        ["ToolWorker"] = [],

        // Orchestration
        ["AppHost"] = ["Core", "DbMigrator", "Identity", "Downstream", "Partner", "ToolsKnowledge", "ToolsWorkspace", "Quota", "CollectorTenant", "CollectorPlatform", "Secrets"],
    };

    public static IEnumerable<(string From, string To)> All =>
        Edges.SelectMany(entry => entry.Value.Select(to => (entry.Key, to)));
}
