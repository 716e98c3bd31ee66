namespace McpPlatform.Quota.Engine;

/// <summary>Who owns the policy in this process.</summary>
public enum QuotaPolicyRole
{
    /// <summary>The quota service: reads the policy from configuration and publishes it.</summary>
    Authority,

    /// <summary>An MCP server admitting in-process: applies what the authority published.</summary>
    Follower,
}
