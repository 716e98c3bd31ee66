using McpPlatform.Core;
using McpPlatform.Quota.Engine;
using McpPlatform.Tenancy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

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
    /// (section <c>QuotaPolicy</c>, reloaded on change), the Redis connection
    /// (<c>ConnectionStrings:redis</c>), the engine, the override refresher and a Redis readiness check.
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

        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, QuotaJsonContext.Default));

        builder.Services.AddOptions<QuotaPolicyOptions>().Bind(builder.Configuration.GetSection(QuotaPolicyOptions.SectionName));
        builder.Services.AddOptions<QuotaRedisOptions>().Bind(builder.Configuration.GetSection(QuotaRedisOptions.SectionName));
        builder.Services.TryAddSingleton(TimeProvider.System);

        var connectionString = builder.Configuration.GetConnectionString(InfrastructureResources.Redis)
            ?? throw new InvalidOperationException($"ConnectionStrings:{InfrastructureResources.Redis} is required: quota keeps its state in Redis.");
        builder.Services.TryAddSingleton<IConnectionMultiplexer>(services =>
            QuotaRedis.Connect(connectionString, services.GetRequiredService<IOptions<QuotaRedisOptions>>().Value));
        builder.Services.AddSingleton<QuotaPolicy>();
        builder.Services.AddSingleton<QuotaEngine>();
        builder.Services.AddSingleton<LimitOverrideStore>();
        builder.Services.AddHostedService<OverrideRefresher>();
        builder.Services.AddHealthChecks().AddCheck<RedisReadinessCheck>(InfrastructureResources.Redis);
        return builder;
    }

    /// <summary>Problem details for errors and empty error responses, then authentication and authorization.</summary>
    /// <param name="app">The built application.</param>
    /// <returns>The same application.</returns>
    public static WebApplication UseQuotaPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
