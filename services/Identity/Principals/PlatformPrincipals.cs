using System.Security.Claims;
using McpPlatform.Core;
using McpPlatform.Identity.Data;
using McpPlatform.Identity.Data.Directory;
using McpPlatform.Identity.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace McpPlatform.Identity.Principals;

/// <summary>Builds the claims of platform tokens from the directory and the tenancy setting.</summary>
internal sealed class PlatformPrincipals(IdentityDbContext db, IOptions<TenancyOptions> tenancy)
{
    /// <summary>A fresh identity for an agent, or null when the client is not an enabled agent.</summary>
    public async Task<ClaimsIdentity?> ForAgentAsync(string clientId, CancellationToken cancellationToken)
    {
        var agent = await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.ClientId == clientId, cancellationToken);
        if (agent is null || agent.IsDisabled)
        {
            return null;
        }

        var identity = NewIdentity();
        Apply(identity, new PrincipalFacts(PrincipalTypes.Agent, agent.ClientId, agent.TenantId), roles: []);
        return identity;
    }

    /// <summary>The enabled user with this id, or null.</summary>
    public Task<User?> FindUserAsync(string? userId, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(userId)
            ? Task.FromResult<User?>(null)
            : db.Users.AsNoTracking().Include(u => u.Memberships).ThenInclude(m => m.Tenant)
                .FirstOrDefaultAsync(u => u.Id == userId && !u.IsDisabled, cancellationToken);

    /// <summary>A fresh identity for a user.</summary>
    public ClaimsIdentity ForUser(User user)
    {
        var identity = NewIdentity();
        ApplyUser(identity, user);
        return identity;
    }

    /// <summary>Replaces the platform claims of an identity with the user's current directory state.</summary>
    public void ApplyUser(ClaimsIdentity identity, User user)
    {
        ArgumentNullException.ThrowIfNull(user);

        // One organisation per token. A user in several tenants gets the first by slug; choosing a
        // tenant at sign-in is not built yet (docs/identity.md).
        var membership = user.Memberships.OrderBy(m => m.Tenant?.Slug, StringComparer.Ordinal).FirstOrDefault();
        var roles = new List<string>();
        if (membership is not null)
        {
            roles.Add(membership.Role);
        }

        if (user.IsPlatformOperator)
        {
            roles.Add(PlatformRoles.Operator);
        }

        Apply(identity, new PrincipalFacts(PrincipalTypes.User, user.Id, membership?.TenantId), roles);
        identity.SetClaim(Claims.Name, user.DisplayName);
        identity.SetClaim(Claims.Email, user.Email);
    }

    /// <summary>Puts every platform claim into the access token; the ID token gets the subject and tenant only.</summary>
    public static void SetDestinations(ClaimsIdentity identity) =>
        identity.SetDestinations(claim => claim.Type switch
        {
            PlatformClaims.Subject or PlatformClaims.TenantId or Claims.Name or Claims.Email =>
                [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });

    /// <summary>An empty identity whose name and role claims use the JWT names.</summary>
    public static ClaimsIdentity NewIdentity() =>
        new(TokenValidationParameters.DefaultAuthenticationType, PlatformClaims.Subject, PlatformClaims.Role);

    private void Apply(ClaimsIdentity identity, PrincipalFacts principal, IReadOnlyList<string> roles)
    {
        identity.SetClaim(PlatformClaims.Subject, principal.PrincipalId);
        identity.SetClaim(PlatformClaims.PrincipalType, principal.PrincipalType);
        identity.SetClaims(PlatformClaims.Role, [.. roles]);

        var tenant = TenantResolver.Resolve(tenancy.Value, principal);
        identity.SetClaim(PlatformClaims.TenantId, tenant?.TenantId);
        identity.SetClaim(PlatformClaims.DataPartition, tenant?.DataPartition);
        identity.SetClaim(PlatformClaims.QuotaPartition, tenant?.QuotaPartition);
        identity.SetClaim(PlatformClaims.AuditPartition, tenant?.AuditPartition);
    }
}
