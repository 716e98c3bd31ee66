namespace McpPlatform.Core;

/// <summary>What the platform treats as a tenant (docs/tenancy.md).</summary>
public enum TenancyModel
{
    /// <summary>An organisation and everything its users and agents do.</summary>
    Organisation,

    /// <summary>Each agent is its own tenant.</summary>
    Agent,

    /// <summary>Each user is its own tenant.</summary>
    User,
}
