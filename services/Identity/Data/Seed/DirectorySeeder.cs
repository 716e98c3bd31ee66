using System.Text.Json;
using McpPlatform.Core;
using McpPlatform.Identity.Data.Directory;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace McpPlatform.Identity.Data.Seed;

/// <summary>
/// Writes the demo directory (DemoDirectory) idempotently: every run converges on the configured
/// state, so a changed AppHost parameter replaces the stored secret or password hash.
/// </summary>
internal sealed class DirectorySeeder(
    IdentityDbContext db,
    IOpenIddictApplicationManager applications,
    SeedOptions seed,
    ILogger logger)
{
    private readonly PasswordHasher<User> _hasher = new();

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await UpsertTenantAsync(DemoDirectory.ContosoTenantId, DemoDirectory.ContosoSlug, "Contoso", cancellationToken);
        await UpsertTenantAsync(DemoDirectory.FabrikamTenantId, DemoDirectory.FabrikamSlug, "Fabrikam", cancellationToken);

        await UpsertAgentAsync(DemoDirectory.ContosoAgentClientId, "Contoso agent", DemoDirectory.ContosoTenantId,
            seed.ContosoAgentSecret, nameof(SeedOptions.ContosoAgentSecret), cancellationToken);
        await UpsertAgentAsync(DemoDirectory.FabrikamAgentClientId, "Fabrikam agent", DemoDirectory.FabrikamTenantId,
            seed.FabrikamAgentSecret, nameof(SeedOptions.FabrikamAgentSecret), cancellationToken);

        await UpsertUserAsync(DemoDirectory.ContosoUserId, DemoDirectory.ContosoUserName, "Alice (Contoso)",
            seed.ContosoUserPassword, nameof(SeedOptions.ContosoUserPassword),
            (DemoDirectory.ContosoTenantId, PlatformRoles.TenantAdmin), isOperator: false, cancellationToken);
        await UpsertUserAsync(DemoDirectory.FabrikamUserId, DemoDirectory.FabrikamUserName, "Bob (Fabrikam)",
            seed.FabrikamUserPassword, nameof(SeedOptions.FabrikamUserPassword),
            (DemoDirectory.FabrikamTenantId, PlatformRoles.TenantAdmin), isOperator: false, cancellationToken);
        await UpsertUserAsync(DemoDirectory.OperatorUserId, DemoDirectory.OperatorUserName, "Platform operator",
            seed.OperatorPassword, nameof(SeedOptions.OperatorPassword), membership: null, isOperator: true, cancellationToken);

        await UpsertPublicClientAsync(cancellationToken);

        // Each MCP server may exchange for the downstream API and for the other server (server-to-server
        // tool calls); the cycle this allows is what the actor-chain depth limit bounds.
        await UpsertResourceServerAsync(DemoDirectory.ToolsKnowledgeClientId, "tools-knowledge MCP server",
            PlatformResources.ToolsKnowledge, [PlatformResources.Downstream, PlatformResources.ToolsWorkspace],
            seed.ToolsKnowledgeClientSecret, nameof(SeedOptions.ToolsKnowledgeClientSecret), cancellationToken);
        await UpsertResourceServerAsync(DemoDirectory.ToolsWorkspaceClientId, "tools-workspace MCP server",
            PlatformResources.ToolsWorkspace, [PlatformResources.Downstream, PlatformResources.ToolsKnowledge, PlatformResources.Secrets],
            seed.ToolsWorkspaceClientSecret, nameof(SeedOptions.ToolsWorkspaceClientSecret), cancellationToken);

        await UpsertAuditClientAsync(DemoDirectory.IdentityClientId, "identity (audit delivery)",
            seed.IdentityClientSecret, nameof(SeedOptions.IdentityClientSecret), cancellationToken);
        await UpsertAuditClientAsync(DemoDirectory.SecretsClientId, "secrets (audit delivery)",
            seed.SecretsClientSecret, nameof(SeedOptions.SecretsClientSecret), cancellationToken);
    }

    private async Task UpsertTenantAsync(string id, string slug, string displayName, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.FindAsync([id], cancellationToken);
        if (tenant is null)
        {
            db.Tenants.Add(new Tenant { Id = id, Slug = slug, DisplayName = displayName, CreatedAt = DateTimeOffset.UtcNow });
        }
        else
        {
            tenant.Slug = slug;
            tenant.DisplayName = displayName;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task UpsertAgentAsync(
        string clientId, string displayName, string tenantId, string? secret, string secretKey, CancellationToken cancellationToken)
    {
        if (!HasSecret(secret, secretKey, clientId))
        {
            return;
        }

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = displayName,
            Permissions =
            {
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.ClientCredentials,
                Permissions.Prefixes.Scope + PlatformScopes.McpTools,
                Permissions.Prefixes.Resource + PlatformResources.ToolsKnowledge.Uri,
                Permissions.Prefixes.Resource + PlatformResources.ToolsWorkspace.Uri,
            },
        };
        descriptor.Properties[ClientProperties.Kind] = JsonSerializer.SerializeToElement(ClientKinds.Agent);
        await UpsertApplicationAsync(descriptor, cancellationToken);

        var agent = await db.Agents.FindAsync([clientId], cancellationToken);
        if (agent is null)
        {
            db.Agents.Add(new Agent { ClientId = clientId, TenantId = tenantId, DisplayName = displayName });
        }
        else
        {
            agent.TenantId = tenantId;
            agent.DisplayName = displayName;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task UpsertUserAsync(
        string id,
        string email,
        string displayName,
        string? password,
        string passwordKey,
        (string TenantId, string Role)? membership,
        bool isOperator,
        CancellationToken cancellationToken)
    {
        if (!HasSecret(password, passwordKey, email))
        {
            return;
        }

        var user = await db.Users.Include(u => u.Memberships).FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            user = new User
            {
                Id = id,
                Email = email,
                DisplayName = displayName,
                PasswordHash = string.Empty,
                CreatedAt = DateTimeOffset.UtcNow,
            };
            user.PasswordHash = _hasher.HashPassword(user, password!);
            db.Users.Add(user);
        }
        else if (_hasher.VerifyHashedPassword(user, user.PasswordHash, password!) != PasswordVerificationResult.Success)
        {
            // The parameter changed (or the hash format aged): store the new one.
            user.PasswordHash = _hasher.HashPassword(user, password!);
        }

        user.Email = email;
        user.DisplayName = displayName;
        user.IsPlatformOperator = isOperator;

        if (membership is { } wanted)
        {
            var existing = user.Memberships.FirstOrDefault(m => m.TenantId == wanted.TenantId);
            if (existing is null)
            {
                user.Memberships.Add(new Membership { UserId = id, TenantId = wanted.TenantId, Role = wanted.Role });
            }
            else
            {
                existing.Role = wanted.Role;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task UpsertPublicClientAsync(CancellationToken cancellationToken)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = DemoDirectory.McpCliClientId,
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "MCP command-line client",
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Prefixes.Scope + PlatformScopes.McpTools,
                Permissions.Prefixes.Scope + PlatformScopes.QuotaRead,
                Permissions.Prefixes.Scope + PlatformScopes.QuotaAdmin,
                Permissions.Prefixes.Scope + PlatformScopes.AuditRead,
                Permissions.Prefixes.Scope + PlatformScopes.TelemetryRead,
                Permissions.Prefixes.Scope + PlatformScopes.SecretsWrite,
                Permissions.Prefixes.Scope + PlatformScopes.WorkspaceAdmin,
                Permissions.Prefixes.Resource + PlatformResources.ToolsKnowledge.Uri,
                Permissions.Prefixes.Resource + PlatformResources.ToolsWorkspace.Uri,
                Permissions.Prefixes.Resource + PlatformResources.Quota.Uri,
                Permissions.Prefixes.Resource + PlatformResources.CollectorTenant.Uri,
                Permissions.Prefixes.Resource + PlatformResources.CollectorPlatform.Uri,
                Permissions.Prefixes.Resource + PlatformResources.Secrets.Uri,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };

        // Loopback callbacks of the common MCP clients (docs/identity.md): our CLI and the MCP Inspector.
        descriptor.RedirectUris.Add(new Uri(DemoDirectory.McpCliRedirectUri));
        descriptor.RedirectUris.Add(new Uri("http://127.0.0.1:7890/callback"));
        descriptor.RedirectUris.Add(new Uri("http://localhost:6274/oauth/callback"));
        descriptor.RedirectUris.Add(new Uri("http://localhost:6274/oauth/callback/debug"));
        descriptor.Properties[ClientProperties.Kind] = JsonSerializer.SerializeToElement(ClientKinds.Public);
        await UpsertApplicationAsync(descriptor, cancellationToken);
    }

    private async Task UpsertResourceServerAsync(
        string clientId,
        string displayName,
        ProtectedResource ownResource,
        IReadOnlyList<ProtectedResource> exchangeTargets,
        string? secret,
        string secretKey,
        CancellationToken cancellationToken)
    {
        if (!HasSecret(secret, secretKey, clientId))
        {
            return;
        }

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = displayName,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.TokenExchange },
        };

        // The exchange allowance is the pair of resource and audience permissions: OpenIddict refuses
        // any other target before our own rules run.
        foreach (var target in exchangeTargets)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Resource + target.Uri);
            descriptor.Permissions.Add(Permissions.Prefixes.Audience + target.Uri);
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + target.TokenExchangeScope);
        }

        // Platform APIs the server calls as itself (quota admission), by client credentials.
        foreach (var service in PlatformResources.All.Where(r => r.ServiceScope is not null))
        {
            descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
            descriptor.Permissions.Add(Permissions.Prefixes.Resource + service.Uri);
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + service.ServiceScope);
        }

        descriptor.Properties[ClientProperties.Kind] = JsonSerializer.SerializeToElement(ClientKinds.ResourceServer);
        descriptor.Properties[ClientProperties.Resource] = JsonSerializer.SerializeToElement(ownResource.Uri);
        await UpsertApplicationAsync(descriptor, cancellationToken);
    }

    // A platform service's own client that only sends audit records to collector-tenant and may do
    // nothing else (no tenant, no exchange, no other platform API): identity (token_exchange
    // records) and secrets (secret_read and secret_change records). The collector accepts those
    // kinds from these client ids alone.
    private async Task UpsertAuditClientAsync(
        string clientId, string displayName, string? secret, string secretKey, CancellationToken cancellationToken)
    {
        if (!HasSecret(secret, secretKey, clientId))
        {
            return;
        }

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = displayName,
            Permissions =
            {
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.ClientCredentials,
                Permissions.Prefixes.Resource + PlatformResources.CollectorTenant.Uri,
                Permissions.Prefixes.Scope + PlatformScopes.AuditWrite,
            },
        };
        descriptor.Properties[ClientProperties.Kind] = JsonSerializer.SerializeToElement(ClientKinds.PlatformService);
        await UpsertApplicationAsync(descriptor, cancellationToken);
    }

    private async Task UpsertApplicationAsync(OpenIddictApplicationDescriptor descriptor, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken);
        if (application is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
            logger.LogInformation("Seeded client {ClientId}.", descriptor.ClientId);
            return;
        }

        // UpdateAsync with a descriptor replaces permissions, redirect URIs and properties, and
        // re-hashes the secret, so a changed parameter takes effect on the next migrator run.
        await applications.UpdateAsync(application, descriptor, cancellationToken);
    }

    private bool HasSecret(string? value, string key, string principal)
    {
        if (!string.IsNullOrEmpty(value))
        {
            return true;
        }

        logger.LogWarning("Seed:{Key} is not set; skipping demo principal {Principal}.", key, principal);
        return false;
    }
}
