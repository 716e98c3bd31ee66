namespace McpPlatform.Identity.Data.Directory;

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
