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

/// <summary>A person who signs in with a password (authorization code + PKCE).</summary>
public sealed class User
{
    /// <summary>Opaque, stable id: the value of <c>sub</c>.</summary>
    public required string Id { get; set; }

    /// <summary>Sign-in name, stored lower-case.</summary>
    public required string Email { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>Hash from <c>PasswordHasher&lt;User&gt;</c>; the password itself is never stored.</summary>
    public required string PasswordHash { get; set; }

    /// <summary>Platform operators hold no tenant by default.</summary>
    public bool IsPlatformOperator { get; set; }

    public bool IsDisabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<Membership> Memberships { get; } = [];
}

/// <summary>A user's role in one tenant (<c>tenant_member</c> or <c>tenant_admin</c>).</summary>
public sealed class Membership
{
    public required string UserId { get; set; }

    public required string TenantId { get; set; }

    public required string Role { get; set; }

    public User? User { get; set; }

    public Tenant? Tenant { get; set; }
}

/// <summary>
/// An agent: an OpenIddict confidential client (client credentials) bound to exactly one tenant.
/// The binding lives here, in the directory, rather than in the client's free-form properties so
/// that the database enforces it (foreign key, one row per client).
/// </summary>
public sealed class Agent
{
    /// <summary>The OpenIddict client id: the value of <c>sub</c> for the agent.</summary>
    public required string ClientId { get; set; }

    public required string TenantId { get; set; }

    public required string DisplayName { get; set; }

    public bool IsDisabled { get; set; }

    public Tenant? Tenant { get; set; }
}

/// <summary>The tenancy setting pinned on the identity service's first start (a single row).</summary>
public sealed class TenancyPin
{
    /// <summary>The one row's key.</summary>
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary><c>TenancyOptions.Describe()</c> at the time of pinning.</summary>
    public required string Setting { get; set; }

    public DateTimeOffset PinnedAt { get; set; }
}
