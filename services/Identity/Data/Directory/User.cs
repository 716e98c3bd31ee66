namespace McpPlatform.Identity.Data.Directory;

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
