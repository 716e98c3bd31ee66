using System.Net;
using McpPlatform.Core;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.Hosting;

/// <summary>Validation of platform access tokens, shared by every service that accepts them.</summary>
public static class TokenValidationExtensions
{
    /// <summary>Configuration key of the authorization server's issuer URL.</summary>
    public const string AuthorityKey = "Identity:Authority";

    /// <summary>
    /// Adds JWT bearer validation of tokens issued by <c>identity</c> for exactly one audience:
    /// issuer and signing keys from the authority's discovery document, RS256 only (so
    /// <c>alg: none</c> and HMAC confusion are refused), access-token type only (<c>at+jwt</c>,
    /// so an ID token is not an access token), lifetime with 30 s skew, and the audience.
    /// Claims keep their JWT names (<c>sub</c>, <c>tenant_id</c>). A token that passed is
    /// remembered until it expires (<see cref="ValidatedTokenCache"/>).
    /// </summary>
    /// <param name="builder">The service's host builder.</param>
    /// <param name="audience">The one audience this service accepts (its resource identifier).</param>
    /// <returns>The authentication builder, for adding schemes such as MCP's.</returns>
    public static Microsoft.AspNetCore.Authentication.AuthenticationBuilder AddPlatformTokenValidation(
        this IHostApplicationBuilder builder, string audience)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        var authority = PlatformAuthority(builder.Configuration);

        return builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.Authority = authority.ToString();
                // Plain HTTP metadata only for a loopback authority (local development and tests);
                // any other authority must be HTTPS. Decided by the URL, never by build flavour.
                options.RequireHttpsMetadata = !IsLoopback(authority);
                options.MapInboundClaims = false;
                // Full validation once per token, then cached until it expires (ValidatedTokenCache).
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(new ValidatedTokenCache(ValidatedTokenCache.CreateInner(), TimeProvider.System));
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidAudience = audience,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ValidateIssuerSigningKey = true,
                    ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                    ValidTypes = ["at+jwt"],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = PlatformClaims.Subject,
                    RoleClaimType = PlatformClaims.Role,
                };
            });
    }

    /// <summary>The authorization server's URL: <c>Identity:Authority</c>, else the fixed local identity URL.</summary>
    /// <param name="configuration">The service's configuration.</param>
    /// <returns>The issuer URL with a trailing slash.</returns>
    public static Uri PlatformAuthority(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration[AuthorityKey];
        return new Uri(string.IsNullOrWhiteSpace(configured) ? PlatformServices.Identity.LocalOrigin + "/" : configured);
    }

    /// <summary>
    /// True when the validated token grants <paramref name="scope"/>: the space-separated
    /// <c>scope</c> claim(s) contain it as a whole word (<c>mcp:toolsX</c> does not grant <c>mcp:tools</c>).
    /// </summary>
    /// <param name="user">The validated caller.</param>
    /// <param name="scope">The scope required.</param>
    /// <returns>Whether the scope is granted.</returns>
    public static bool HasScope(this System.Security.Claims.ClaimsPrincipal user, string scope)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindAll(PlatformClaims.Scope)
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal);
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address));
}
