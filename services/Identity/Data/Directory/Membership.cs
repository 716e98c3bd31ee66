namespace McpPlatform.Identity.Data.Directory;

/// <summary>A user's role in one tenant (<c>tenant_member</c> or <c>tenant_admin</c>).</summary>
public sealed class Membership
{
    public required string UserId { get; set; }

    public required string TenantId { get; set; }

    public required string Role { get; set; }

    public User? User { get; set; }

    public Tenant? Tenant { get; set; }
}
