namespace McpPlatform.Identity.Data.Directory;

/// <summary>
/// A tenant. In the Organisation model the tenant is the organisation, so there is no separate
/// organisation table: <see cref="Id"/> is also the organisation id.
/// </summary>
public sealed class Tenant
{
    /// <summary>Opaque, stable id (a GUID string): the value of <c>tenant_id</c>. Never reused.</summary>
    public required string Id { get; set; }

    /// <summary>Display slug such as <c>contoso</c>; may change, so never used as a key in tokens.</summary>
    public required string Slug { get; set; }

    public required string DisplayName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<Membership> Memberships { get; } = [];

    public List<Agent> Agents { get; } = [];
}
