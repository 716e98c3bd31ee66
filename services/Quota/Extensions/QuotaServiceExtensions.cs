using McpPlatform.Core;
using McpPlatform.Core.Quota;
using McpPlatform.Policy;
using McpPlatform.Quota.Engine;
using McpPlatform.Quota.PolicyDocument;

namespace McpPlatform.Quota.Extensions;

/// <summary>Registration of the quota service.</summary>
public static class QuotaServiceExtensions
{
    /// <summary>Policy of admit and release: an MCP server's own token with <c>quota:admit</c>.</summary>
    public const string AdmitPolicy = "quota-admit";

    /// <summary>Policy of the usage API: <c>quota:read</c> and the tenant admin or operator role.</summary>
    public const string ReadPolicy = "quota-read";

    /// <summary>Policy of the limits API: <c>quota:admin</c> and the operator role.</summary>
    public const string AdminPolicy = "quota-admin";

    /// <summary>Configuration key of this service's audience (defaults to its fixed local origin).</summary>
    public const string AudienceKey = "Quota:Audience";

    /// <summary>
    /// Adds token validation for audience <c>quota</c>, the authorization policies, the policy (the
    /// platform policy document's tiers and tenants, <c>Policy:Path</c>, reloaded on change and
    /// published for in-process admitters) and the engine (<see cref="QuotaEngineExtensions.AddQuotaEngine"/>).
    /// </summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddQuotaServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The limits come from the platform policy document (docs/policy.md), validated as a whole
        // with quota's own rules; each applied version reloads QuotaPolicyOptions.
        builder.AddPlatformPolicy();
        builder.Services.AddPolicyCheck<QuotaLimitsCheck>();
        builder.Services.AddOptionsFromPolicy<QuotaPolicyOptions>(QuotaPolicyMapping.Apply);

        builder.AddPlatformTokenValidation(builder.Configuration[AudienceKey] ?? PlatformServices.Quota.LocalOrigin);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdmitPolicy, policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.HasScope(PlatformScopes.QuotaAdmit)))
            .AddPolicy(ReadPolicy, policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.HasScope(PlatformScopes.QuotaRead)
                    && (context.User.IsInRole(PlatformRoles.Operator) || context.User.IsInRole(PlatformRoles.TenantAdmin))))
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.HasScope(PlatformScopes.QuotaAdmin) && context.User.IsInRole(PlatformRoles.Operator)));

        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, QuotaJsonContext.Default));

        builder.AddQuotaEngine(QuotaPolicyRole.Authority);
        return builder;
    }

    /// <summary>Authentication and authorization (the error rule comes first, from <c>UsePlatformErrorHandling</c>).</summary>
    /// <param name="app">The built application.</param>
    /// <returns>The same application.</returns>
    public static WebApplication UseQuotaPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
