namespace McpPlatform.Core;

/// <summary>Directory roles.</summary>
public static class PlatformRoles
{
    /// <summary>Member of a tenant.</summary>
    public const string TenantMember = "tenant_member";

    /// <summary>Administrator of a tenant.</summary>
    public const string TenantAdmin = "tenant_admin";

    /// <summary>Platform operator (no tenant data by default).</summary>
    public const string Operator = "platform_operator";
}
