namespace McpPlatform.Core;

/// <summary>The unit a hybrid scope partitions by.</summary>
public enum TenancyScope
{
    /// <summary>Same as the tenancy model (no hybrid split).</summary>
    Tenant,

    /// <summary>Per organisation.</summary>
    Organisation,

    /// <summary>Per principal (user or agent).</summary>
    Principal,
}
