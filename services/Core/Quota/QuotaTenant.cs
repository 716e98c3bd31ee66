namespace McpPlatform.Core.Quota;

/// <summary>The tenant context an MCP server asserts for a call (built from the caller's validated token).</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="PrincipalId">The user id or agent client id.</param>
/// <param name="PrincipalType"><c>user</c> or <c>agent</c>.</param>
/// <param name="QuotaPartition">The partition budgets and tenant-level caps apply to.</param>
/// <param name="InvocationId">The tool invocation.</param>
public sealed record QuotaTenant(string? TenantId, string? PrincipalId, string? PrincipalType, string? QuotaPartition, string? InvocationId)
{
    /// <summary>The assertion for a tool call's context.</summary>
    /// <param name="tenant">The call's context.</param>
    /// <returns>The wire form.</returns>
    public static QuotaTenant From(TenantContext tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return new(tenant.TenantId, tenant.PrincipalId, tenant.PrincipalType, tenant.QuotaPartition, tenant.InvocationId);
    }
}
