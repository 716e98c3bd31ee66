using System.Security.Cryptography.X509Certificates;
using McpPlatform.Audit;
using McpPlatform.Core;
using McpPlatform.Identity.Data;
using McpPlatform.Identity.Exchange;
using McpPlatform.Identity.Principals;
using McpPlatform.Identity.Tenancy;
using McpPlatform.Policy;
using McpPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace McpPlatform.Identity.Extensions;

/// <summary>Registration of the identity service.</summary>
public static class IdentityServiceExtensions
{
    /// <summary>The sign-in page the cookie handler sends unauthenticated users to.</summary>
    public const string LoginPath = "/account/login";

    /// <summary>
    /// Registers the directory database, the tenancy setting (from the platform policy document) and its pin check, the sign-in cookie and antiforgery,
    /// the audit of token exchanges (tenant pipeline, identity's own client credentials), and OpenIddict (server with client credentials, authorization code + PKCE S256, rotating
    /// refresh tokens and token exchange; signed, unencrypted JWT access tokens; validation).
    /// </summary>
    /// <param name="builder">The identity service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddIdentityServices(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(IdentityServerSettings.SectionName).Get<IdentityServerSettings>()
            ?? new IdentityServerSettings();
        if (settings.AccessTokenLifetime > TimeSpan.FromMinutes(15) || settings.AccessTokenLifetime <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Identity:AccessTokenLifetime must be positive and at most 15 minutes.");
        }

        builder.AddNpgsqlDbContext<IdentityDbContext>(
            InfrastructureResources.IdentityDatabase,
            configureDbContextOptions: options => options.UseOpenIddict());

        // The tenancy setting comes from the platform policy document (docs/policy.md); an edit
        // that disagrees with the setting pinned at start is refused there, the pin stays in force.
        builder.AddPlatformPolicy();
        builder.Services.AddPolicyCheck<TenancyPolicyCheck>();
        builder.Services.AddOptionsFromPolicy<TenancyOptions>(TenancyPolicyCheck.Apply);
        builder.Services.AddHostedService<TenancyPinCheck>();
        builder.Services.AddScoped<PlatformPrincipals>();

        // Token-exchange decisions go into the subject's tenant audit trail through the same
        // spool and delivery as the MCP servers' tool calls, as identity's own client.
        builder.AddAuditEmitter(PlatformServices.Identity);
        builder.Services.AddSingleton<ExchangeAudit>();

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = LoginPath;
                options.Cookie.Name = "mcpplatform.identity";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.ExpireTimeSpan = TimeSpan.FromMinutes(30);
                options.SlidingExpiration = false;
            });
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery(options => options.Cookie.Name = "mcpplatform.antiforgery");
        // What the shared error rule refuses before OpenIddict runs is an OAuth error there too.
        builder.Services.Configure<PlatformErrorOptions>(options => options.OAuthPathPrefixes.Add("/connect"));

        builder.Services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>())
            .AddServer(options =>
            {
                options.SetIssuer(settings.Issuer);
                options.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks")
                    // RFC 8414 metadata (what MCP clients look for) and OIDC discovery, one document.
                    .SetConfigurationEndpointUris(".well-known/oauth-authorization-server", ".well-known/openid-configuration");

                options.AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow()
                    .AllowRefreshTokenFlow()
                    .AllowTokenExchangeFlow();

                // PKCE on every code request, S256 only: 'plain' offers no protection against a
                // stolen code, so it is neither advertised nor accepted.
                options.RequireProofKeyForCodeExchange();
                options.Configure(server => server.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));

                options.RegisterScopes(
                    [Scopes.OpenId, Scopes.OfflineAccess, PlatformScopes.QuotaAdmin, PlatformScopes.WorkspaceAdmin,
                     .. PlatformResources.All.Select(r => r.Scope), .. PlatformResources.All.Select(r => r.ExchangeScope).OfType<string>(),
                     .. PlatformResources.All.Select(r => r.ServiceScope).OfType<string>()]);
                options.ValidateRegisteredResources();
                options.RemoveEventHandler(OpenIddict.Server.OpenIddictServerHandlers.Exchange.ValidateAuthorizedParty.Descriptor)
                    .AddEventHandler(ValidateSubjectTokenAudience.Descriptor)
                    .AddEventHandler(CountUnauditedExchangeRefusals.Descriptor);
                options.RegisterAudiences([.. PlatformResources.All.Select(resource => resource.Uri)]);

                options.SetAccessTokenLifetime(settings.AccessTokenLifetime);
                options.SetRefreshTokenLifetime(settings.RefreshTokenLifetime);
                // Rotation with no grace period: a redeemed refresh token is dead at once, and its
                // reuse revokes the whole chain (OpenIddict's default leeway is 30 s).
                options.SetRefreshTokenReuseLeeway(TimeSpan.Zero);

                // Resource servers validate our JWTs with plain JwtBearer and the JWKS: sign, don't encrypt.
                options.DisableAccessTokenEncryption();
                AddCredentials(options, settings, builder.Environment);

                var aspNetCore = options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough();
                if (settings.Issuer.IsLoopback && settings.Issuer.Scheme == Uri.UriSchemeHttp)
                {
                    // Plain HTTP only for a loopback issuer (local runs); decided by the URL, not the build.
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(options =>
            {
                options.UseLocalServer();
                options.UseAspNetCore();
            });

        return builder;
    }

    private static void AddCredentials(
        OpenIddictServerBuilder options, IdentityServerSettings settings, IHostEnvironment environment)
    {
        if (settings.SigningCertificate.IsConfigured && settings.EncryptionCertificate.IsConfigured)
        {
            options.AddSigningCertificate(Load(settings.SigningCertificate));
            options.AddEncryptionCertificate(Load(settings.EncryptionCertificate));
            return;
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                "Identity:SigningCertificate:Path and Identity:EncryptionCertificate:Path (PKCS#12, with :Password) " +
                "must be set outside Development: tokens must be signed with a key that outlives the process and is " +
                "shared by every instance. Development certificates are used in Development only.");
        }

        // Stored in the current user's certificate store, so keys survive restarts and tokens
        // issued before a restart stay valid.
        options.AddDevelopmentSigningCertificate();
        options.AddDevelopmentEncryptionCertificate();
    }

    private static X509Certificate2 Load(CertificateSettings certificate) =>
        X509CertificateLoader.LoadPkcs12FromFile(certificate.Path!, certificate.Password, X509KeyStorageFlags.EphemeralKeySet);
}
