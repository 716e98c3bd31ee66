using McpPlatform.CollectorTenant.Store;
using McpPlatform.Core;
using Npgsql;

namespace McpPlatform.CollectorTenant.Extensions;

/// <summary>Registration of the tenant audit collector.</summary>
public static class CollectorTenantExtensions
{
    /// <summary>Policy of ingest: an MCP server's own token with <c>audit:write</c> and no tenant.</summary>
    public const string IngestPolicy = "audit-ingest";

    /// <summary>Policy of the read and grant APIs: a user token with <c>audit:read</c>.</summary>
    public const string ReadPolicy = "audit-read";

    /// <summary>Configuration key of this service's audience (defaults to its fixed local origin).</summary>
    public const string AudienceKey = "CollectorTenant:Audience";

    /// <summary>
    /// Adds token validation for the collector's audience, the ingest and read policies, the
    /// audit database as the app role (<c>ConnectionStrings:auditdb</c>; the service refuses to
    /// start as a role RLS does not bind), the tenant policies, and the retention job.
    /// </summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddCollectorTenantServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddPlatformTokenValidation(builder.Configuration[AudienceKey] ?? PlatformServices.CollectorTenant.LocalOrigin);
        builder.Services.AddAuthorizationBuilder()
            // A sender's token names no tenant: servers write records for many tenants, and a
            // tenant's own token must never be able to write into a trail.
            .AddPolicy(IngestPolicy, policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.HasScope(PlatformScopes.AuditWrite)
                    && !context.User.HasClaim(claim => claim.Type == PlatformClaims.TenantId)))
            .AddPolicy(ReadPolicy, policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.HasScope(PlatformScopes.AuditRead)));

        var connectionString = builder.Configuration.GetConnectionString(InfrastructureResources.AuditDatabase)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{InfrastructureResources.AuditDatabase} is not set; the AppHost passes the app role's connection string.");
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuditStore>();
        builder.Services.AddSingleton<GrantStore>();
        builder.Services.AddOptions<AuditPolicyOptions>().Bind(builder.Configuration.GetSection(AuditPolicyOptions.SectionName))
            .Validate(options => options.PruneInterval > TimeSpan.Zero, "AuditPolicy:PruneInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<AuditGrantOptions>().Bind(builder.Configuration.GetSection(AuditGrantOptions.SectionName));
        builder.Services.AddHostedService<DatabaseRoleCheck>();
        builder.Services.AddHostedService<RetentionJob>();

        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, AuditJsonContext.Default);
            options.SerializerOptions.TypeInfoResolverChain.Insert(1, CollectorJsonContext.Default);
        });
        return builder;
    }

    /// <summary>Authentication and authorization (the error rule comes first, from <c>UsePlatformErrorHandling</c>).</summary>
    /// <param name="app">The built application.</param>
    /// <returns>The same application.</returns>
    public static WebApplication UseCollectorTenantPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
