using McpPlatform.Core;
using McpPlatform.Policy.Model;

namespace McpPlatform.Policy;

/// <summary>
/// What the schema cannot say: names that must refer to something. Tiers must exist, and servers
/// and tools must be ones the platform has (<see cref="PlatformToolInventory"/>). Every error is
/// collected; none stops the others.
/// </summary>
internal static class PolicyRules
{
    public const string AllTools = "*";

    public static IEnumerable<PolicyError> Check(PlatformPolicy policy)
    {
        var tiers = policy.Tiers;
        if (!tiers.ContainsKey(policy.DefaultTier))
        {
            yield return UnknownTier(PolicyPath.Member(PolicyPath.Root, "defaultTier"), policy.DefaultTier, tiers);
        }

        var tenants = PolicyPath.Member(PolicyPath.Root, "tenants");
        foreach (var (id, tenant) in policy.Tenants)
        {
            if (tenant.Tier is { } tier && !tiers.ContainsKey(tier))
            {
                yield return UnknownTier(PolicyPath.Member(PolicyPath.Member(tenants, id), "tier"), tier, tiers);
            }
        }

        if (policy.Tools is { } tools)
        {
            var toolsPath = PolicyPath.Member(PolicyPath.Root, "tools");
            var toolTiers = PolicyPath.Member(toolsPath, "tiers");
            foreach (var (tier, grants) in tools.Tiers)
            {
                var tierPath = PolicyPath.Member(toolTiers, tier);
                if (!tiers.ContainsKey(tier))
                {
                    yield return UnknownTier(tierPath, tier, tiers);
                }

                foreach (var error in Grants(tierPath, grants))
                {
                    yield return error;
                }
            }

            var toolTenants = PolicyPath.Member(toolsPath, "tenants");
            foreach (var (tenant, grants) in tools.Tenants)
            {
                foreach (var error in Grants(PolicyPath.Member(toolTenants, tenant), grants))
                {
                    yield return error;
                }
            }
        }

        if (policy.Credentials is { } credentials)
        {
            var secretsPath = PolicyPath.Member(PolicyPath.Member(PolicyPath.Root, "credentials"), "secrets");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < credentials.Secrets.Count; i++)
            {
                var secret = credentials.Secrets[i];
                var secretPath = PolicyPath.Item(secretsPath, i);
                if (!seen.Add(secret.Name))
                {
                    yield return new PolicyError(PolicyPath.Member(secretPath, "name"), "secret.duplicate",
                        $"The secret '{secret.Name}' is listed more than once; list its readers in one entry.");
                }

                foreach (var error in Grants(PolicyPath.Member(secretPath, "readers"), secret.Readers))
                {
                    yield return error;
                }
            }
        }

        if (policy.Telemetry is { } telemetry)
        {
            var retention = PolicyPath.Member(PolicyPath.Member(PolicyPath.Root, "telemetry"), "auditRetentionDays");
            foreach (var tier in telemetry.AuditRetentionDays.Keys.Where(tier => !tiers.ContainsKey(tier)))
            {
                yield return UnknownTier(PolicyPath.Member(retention, tier), tier, tiers);
            }
        }
    }

    private static IEnumerable<PolicyError> Grants(string path, Dictionary<string, List<string>> grants)
    {
        foreach (var (server, names) in grants)
        {
            var serverPath = PolicyPath.Member(path, server);
            if (!PlatformToolInventory.ByServer.TryGetValue(server, out var known))
            {
                yield return new PolicyError(serverPath, "server.unknown",
                    $"No MCP server is named '{server}'; known servers: {string.Join(", ", PlatformToolInventory.ByServer.Keys.Order(StringComparer.Ordinal))}.");
                continue;
            }

            for (var i = 0; i < names.Count; i++)
            {
                if (names[i] != AllTools && !known.Contains(names[i], StringComparer.Ordinal))
                {
                    yield return new PolicyError(PolicyPath.Item(serverPath, i), "tool.unknown",
                        $"The server '{server}' has no tool '{names[i]}'; its tools: {string.Join(", ", known)}.");
                }
            }
        }
    }

    private static PolicyError UnknownTier(string path, string tier, Dictionary<string, PolicyLimits> tiers) =>
        new(path, "tier.unknown", $"No tier is named '{tier}'; tiers: {string.Join(", ", tiers.Keys.Order(StringComparer.Ordinal))}.");
}
