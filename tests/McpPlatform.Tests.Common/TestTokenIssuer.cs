using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace McpPlatform.Tests.Common;

/// <summary>Stands in for identity's discovery document in in-process hosts: the JWT scheme trusts the test's issuer and key.</summary>
public static class TestTokenIssuer
{
    /// <summary>Makes the host's JWT bearer scheme validate tokens of <paramref name="issuer"/> signed with <paramref name="key"/>, without fetching metadata.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="issuer">The issuer the tokens carry.</param>
    /// <param name="key">The key they are signed with.</param>
    public static void TrustTestIssuer(this IServiceCollection services, string issuer, SecurityKey key) =>
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = issuer };
            configuration.SigningKeys.Add(key);
            options.Configuration = configuration;
            options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
        });
}
