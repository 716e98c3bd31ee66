using McpPlatform.Audit;
using McpPlatform.Core;
using McpPlatform.Secrets.Apis;
using McpPlatform.Secrets.Audit;
using McpPlatform.Secrets.Crypto;
using McpPlatform.Secrets.Seed;
using McpPlatform.Secrets.Store;
using Npgsql;

namespace McpPlatform.Secrets.Extensions;

/// <summary>Registration of the secrets service.</summary>
public static class SecretsExtensions
{
    /// <summary>Policy of the user API: a tenant admin's token with <c>secrets:write</c>.</summary>
    public const string WritePolicy = "secrets-write";

    /// <summary>Configuration key of this service's audience (defaults to its fixed local origin).</summary>
    public const string AudienceKey = "Secrets:Audience";

    /// <summary>Configuration key of the key-encryption key (base64 of 32 bytes; the AppHost passes the parameter).</summary>
    public const string KeyEncryptionKeyKey = "Secrets:KeyEncryptionKey";

    /// <summary>
    /// Adds token validation for this service's audience, the write policy, the key-encryption key
    /// (the service refuses to start without a valid one), the secrets database as the app role
    /// (<c>ConnectionStrings:secretsdb</c>; it refuses to start as a role RLS does not bind), the
    /// audit emitter (this service's own client), and the Development seed.
    /// </summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddSecretsServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddPlatformTokenValidation(builder.Configuration[AudienceKey] ?? PlatformServices.Secrets.LocalOrigin);
        builder.Services.AddAuthorizationBuilder()
            // Writes are a tenant admin's, as a user: identity grants secrets:write to tenant
            // admins only, and the role is checked here again (a demoted admin's token is refused).
            .AddPolicy(WritePolicy, policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.HasScope(PlatformScopes.SecretsWrite)
                    && !string.IsNullOrEmpty(context.User.FindFirst(PlatformClaims.TenantId)?.Value)
                    && context.User.FindFirst(PlatformClaims.PrincipalType)?.Value == PrincipalTypes.User
                    && context.User.HasClaim(PlatformClaims.Role, PlatformRoles.TenantAdmin)));

        if (!KeyEncryptionKey.TryParse(builder.Configuration[KeyEncryptionKeyKey], out var kek, out var problem))
        {
            throw new InvalidOperationException(
                $"secrets refuses to start: {KeyEncryptionKeyKey} (AppHost parameter {SecretsDatabaseRoles.KeyEncryptionKeyParameter}) is not a valid key-encryption key: {problem}.");
        }

        builder.Services.AddSingleton(kek!);

        var connectionString = builder.Configuration.GetConnectionString(InfrastructureResources.SecretsDatabase)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{InfrastructureResources.SecretsDatabase} is not set; the AppHost passes the app role's connection string.");
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PostgresSecretStore>();
        builder.Services.AddSingleton<ISecretStore>(services => services.GetRequiredService<PostgresSecretStore>());

        builder.AddAuditEmitter(PlatformServices.Secrets);
        builder.Services.AddSingleton<SecretAudit>();

        // Start-up order: the role and key checks first, then the Development seed.
        builder.Services.AddHostedService<StoreStartupCheck>();
        builder.Services.AddOptions<DevelopmentSeedOptions>().Bind(builder.Configuration.GetSection(DevelopmentSeedOptions.SectionName));
        builder.Services.AddHostedService<DevelopmentSeed>();

        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, SecretsJsonContext.Default));
        return builder;
    }

    /// <summary>Authentication and authorization (the error rule comes first, from <c>UsePlatformErrorHandling</c>).</summary>
    /// <param name="app">The built application.</param>
    /// <returns>The same application.</returns>
    public static WebApplication UseSecretsPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
