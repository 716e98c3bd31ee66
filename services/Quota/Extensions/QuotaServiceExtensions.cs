using McpPlatform.Core;
using McpPlatform.Core.Quota;
using McpPlatform.Quota.Engine;

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

    /// <summary>Configuration key of an optional extra policy file (JSON with a <c>QuotaPolicy</c> section), reloaded on change.</summary>
    public const string PolicyFileKey = "QuotaPolicyFile";

    /// <summary>
    /// Adds token validation for audience <c>quota</c>, the authorization policies, the policy
    /// (section <c>QuotaPolicy</c>, reloaded on change and published for in-process admitters) and
    /// the engine (<see cref="QuotaEngineExtensions.AddQuotaEngine"/>).
    /// </summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddQuotaServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Configuration[PolicyFileKey] is { Length: > 0 } policyFile)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(policyFile), optional: false, reloadOnChange: true);
        }

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
