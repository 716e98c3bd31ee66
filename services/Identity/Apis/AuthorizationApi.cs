using System.Collections.Immutable;
using System.Security.Claims;
using McpPlatform.Core;
using McpPlatform.Identity.Data;
using McpPlatform.Identity.Exchange;
using McpPlatform.Identity.Principals;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace McpPlatform.Identity.Apis;

/// <summary>
/// The authorization and token endpoints. OpenIddict has validated the request (client, grant,
/// scopes, registered resources, PKCE, codes, refresh tokens, subject tokens) before these run;
/// they decide who the token is for and what it carries.
/// </summary>
public static class AuthorizationApi
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    /// <summary>Maps <c>/connect/authorize</c> (GET and POST) and <c>POST /connect/token</c>.</summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <returns>The same routes.</returns>
    public static IEndpointRouteBuilder MapAuthorizationApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("connect/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync)
            .DisableAntiforgery().ExcludeFromDescription();
        endpoints.MapPost("connect/token", ExchangeAsync).DisableAntiforgery().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<Results<SignInHttpResult, ChallengeHttpResult, ForbidHttpResult>> AuthorizeAsync(
        HttpContext context, PlatformPrincipals principals)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request cannot be retrieved.");

        var session = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var user = session.Succeeded
            ? await principals.FindUserAsync(session.Principal.FindFirst(PlatformClaims.Subject)?.Value, context.RequestAborted)
            : null;
        if (user is null || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.LoginRequired, "The user is not signed in.");
            }

            // Back here after the sign-in form, with the same authorization request.
            return TypedResults.Challenge(
                new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + QueryString.Create(
                    context.Request.HasFormContentType ? [.. context.Request.Form] : [.. context.Request.Query]) },
                [CookieAuthenticationDefaults.AuthenticationScheme]);
        }

        if (SingleUserResource(request.GetResources()) is not { } resource)
        {
            return Forbid(Errors.InvalidTarget, "Exactly one registered MCP resource is required (RFC 8707 'resource').");
        }

        var identity = principals.ForUser(user);
        identity.SetScopes(request.GetScopes().Intersect(UserScopeGrants.For(resource, identity)));
        identity.SetResources(resource.Uri);
        PlatformPrincipals.SetDestinations(identity);
        return TypedResults.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Scheme);
    }

    private static async Task<Results<SignInHttpResult, ForbidHttpResult>> ExchangeAsync(
        HttpContext context, PlatformPrincipals principals, IOpenIddictApplicationManager applications, ExchangeAudit audit)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request cannot be retrieved.");
        var cancellationToken = context.RequestAborted;

        if (request.IsClientCredentialsGrantType())
        {
            return await ClientCredentialsAsync(request, principals, applications, cancellationToken);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var stored = (await context.AuthenticateAsync(Scheme)).Principal;
            var user = await principals.FindUserAsync(stored?.GetClaim(Claims.Subject), cancellationToken);
            if (stored is null || user is null)
            {
                return Forbid(Errors.InvalidGrant, "The user no longer exists or is disabled.");
            }

            // Directory changes (membership, role, disabling) take effect on the next refresh.
            var identity = (ClaimsIdentity)stored.Identity!;
            principals.ApplyUser(identity, user);
            // Scopes that depend on a role (quota:admin, secrets:write) end with the role.
            if (stored.GetResources() is [var uri] && PlatformResources.Find(uri) is { } resource)
            {
                identity.SetScopes(identity.GetScopes().Intersect(UserScopeGrants.For(resource, identity)));
            }

            PlatformPrincipals.SetDestinations(identity);
            return TypedResults.SignIn(stored, authenticationScheme: Scheme);
        }

        if (request.IsTokenExchangeGrantType())
        {
            var result = await context.AuthenticateAsync(Scheme);
            return await TokenExchangeAsync(request, result, applications, audit,
                context.Features.Get<OpenIddictServerAspNetCoreFeature>()?.Transaction, cancellationToken);
        }

        return Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    private static async Task<Results<SignInHttpResult, ForbidHttpResult>> ClientCredentialsAsync(
        OpenIddictRequest request, PlatformPrincipals principals, IOpenIddictApplicationManager applications,
        CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(request.ClientId!, cancellationToken);
        var kind = application is null ? null : await KindAsync(applications, application, cancellationToken);
        if (kind is ClientKinds.ResourceServer or ClientKinds.PlatformService)
        {
            return ServiceClientCredentials(request);
        }

        if (kind != ClientKinds.Agent)
        {
            return Forbid(Errors.UnauthorizedClient, "Only agents and platform services use client credentials.");
        }

        var identity = await principals.ForAgentAsync(request.ClientId!, cancellationToken);
        if (identity is null)
        {
            return Forbid(Errors.InvalidClient, "The agent is not bound to a tenant or is disabled.");
        }

        if (SingleUserResource(request.GetResources()) is not { } resource)
        {
            return Forbid(Errors.InvalidTarget, "Exactly one registered MCP resource is required (RFC 8707 'resource').");
        }

        identity.SetScopes(resource.Scope);
        identity.SetResources(resource.Uri);
        PlatformPrincipals.SetDestinations(identity);
        return TypedResults.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Scheme);
    }

    private static async Task<Results<SignInHttpResult, ForbidHttpResult>> TokenExchangeAsync(
        OpenIddictRequest request, AuthenticateResult subjectResult, IOpenIddictApplicationManager applications,
        ExchangeAudit audit, OpenIddictServerTransaction? transaction, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(request.ClientId!, cancellationToken);
        if (application is null)
        {
            return Forbid(Errors.InvalidClient, "Unknown client.");
        }

        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        var permissions = await applications.GetPermissionsAsync(application, cancellationToken);
        var subject = subjectResult.Principal;

        var facts = ExchangeAudit.Facts(request, request.ClientId!, properties, permissions, subject);
        var decision = ExchangeRules.Evaluate(facts);
        // Granted or refused, the subject's tenant sees it in its trail (no tenant: counted only).
        var kept = await audit.RecordAsync(facts, decision, transaction);
        if (!decision.IsAllowed || subject is null)
        {
            return Forbid(decision.Error ?? Errors.InvalidGrant, decision.Description ?? "The subject token is not valid.");
        }

        if (!kept && audit.FailsClosed)
        {
            // No token whose exchange is not on the tenant's trail (Audit:WhenSpoolFull=FailClosed);
            // the MCP server turns this into identity.unavailable.
            return Forbid(Errors.TemporarilyUnavailable, "The exchange could not be audited now; try again later.");
        }

        // Everything that names the tenant is copied from the subject token: no request parameter
        // can set or change it, so an exchange can never cross tenants.
        var identity = PlatformPrincipals.NewIdentity();
        foreach (var type in (string[])[PlatformClaims.Subject, PlatformClaims.TenantId, PlatformClaims.PrincipalType,
            PlatformClaims.DataPartition, PlatformClaims.QuotaPartition, PlatformClaims.AuditPartition])
        {
            identity.SetClaim(type, subject.GetClaim(type));
        }

        identity.SetClaims(PlatformClaims.Role, subject.GetClaims(PlatformClaims.Role));
        identity.SetClaim(PlatformClaims.InvocationId, request.GetParameter(TokenExchange.InvocationIdParameter)?.ToString());
        identity.SetClaim(PlatformClaims.Actor, ActorChain.Nest(request.ClientId!, subject.GetClaim(PlatformClaims.Actor)));
        identity.SetScopes(decision.Target!.TokenExchangeScope);
        identity.SetResources(decision.Target.Uri);
        identity.SetAccessTokenLifetime(TokenExchange.MaxLifetime);
        PlatformPrincipals.SetDestinations(identity);
        return TypedResults.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Scheme);
    }

    /// <summary>
    /// A platform service's own token for a platform API (quota, audit ingest): no tenant, no principal type, only the
    /// service scope. It can reach nothing that holds tenant data; tenant APIs need exchanged tokens.
    /// </summary>
    private static Results<SignInHttpResult, ForbidHttpResult> ServiceClientCredentials(OpenIddictRequest request)
    {
        var resources = request.GetResources();
        if (resources.Length != 1 || PlatformResources.Find(resources[0]) is not { ServiceScope: { } scope } resource)
        {
            return Forbid(Errors.InvalidTarget, "A platform service's own client credentials reach only platform service APIs (quota, audit ingest).");
        }

        var identity = PlatformPrincipals.NewIdentity();
        identity.SetClaim(PlatformClaims.Subject, request.ClientId);
        identity.SetScopes(scope);
        identity.SetResources(resource.Uri);
        PlatformPrincipals.SetDestinations(identity);
        return TypedResults.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Scheme);
    }

    /// <summary>The one registered resource a user or agent may ask for directly, or null.</summary>
    private static ProtectedResource? SingleUserResource(ImmutableArray<string> resources) =>
        resources.Length == 1 && PlatformResources.Find(resources[0]) is { ExchangeOnly: false } resource ? resource : null;

    private static async Task<string?> KindAsync(
        IOpenIddictApplicationManager applications, object application, CancellationToken cancellationToken) =>
        ClientProperties.Read(await applications.GetPropertiesAsync(application, cancellationToken), ClientProperties.Kind);

    private static ForbidHttpResult Forbid(string error, string description) =>
        TypedResults.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [Scheme]);
}
