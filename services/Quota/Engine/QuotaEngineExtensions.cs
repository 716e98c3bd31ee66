using McpPlatform.Core;
using McpPlatform.Core.Quota;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace McpPlatform.Quota.Engine;

/// <summary>Registration of the admission engine.</summary>
public static class QuotaEngineExtensions
{
    /// <summary>
    /// Adds the engine: its own Redis connection (<c>ConnectionStrings:redis</c>, keyed
    /// <see cref="QuotaRedis.ServiceKey"/>, timeouts from <c>QuotaRedis</c>), the policy in the
    /// given role, the override store, the policy refresher and a Redis readiness check.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="role">Authority (the quota service, which configures <see cref="QuotaPolicyOptions"/> from the policy document) or follower.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddQuotaEngine(this IHostApplicationBuilder builder, QuotaPolicyRole role)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<QuotaRedisOptions>().Bind(builder.Configuration.GetSection(QuotaRedisOptions.SectionName));
        builder.Services.TryAddSingleton(TimeProvider.System);

        var connectionString = builder.Configuration.GetConnectionString(InfrastructureResources.Redis)
            ?? throw new InvalidOperationException($"ConnectionStrings:{InfrastructureResources.Redis} is required: admission keeps its state in Redis.");
        builder.Services.AddKeyedSingleton<IConnectionMultiplexer>(QuotaRedis.ServiceKey, (services, _) =>
            QuotaRedis.Connect(connectionString, services.GetRequiredService<IOptions<QuotaRedisOptions>>().Value));

        if (role == QuotaPolicyRole.Authority)
        {
            // The authority's host fills these (the quota service: from the platform policy document).
            builder.Services.AddOptions<QuotaPolicyOptions>();
            builder.Services.AddSingleton<QuotaPolicy>();
        }
        else
        {
            builder.Services.AddSingleton(services => new QuotaPolicy(services.GetRequiredService<ILogger<QuotaPolicy>>()));
        }

        builder.Services.AddSingleton<QuotaEngine>();
        builder.Services.AddSingleton<LimitOverrideStore>();
        builder.Services.AddSingleton(services => ActivatorUtilities.CreateInstance<QuotaPolicySync>(services, role));
        builder.Services.AddHostedService<PolicyRefresher>();
        builder.Services.AddHealthChecks().AddCheck<RedisReadinessCheck>(InfrastructureResources.Redis);
        return builder;
    }

    /// <summary>
    /// Makes this MCP server admit tool calls in-process against Redis
    /// (<see cref="InProcessQuotaAdmission"/>), following the policy the quota service publishes.
    /// Call before <c>WithQuotaAdmission</c>, which then uses it instead of the HTTP client.
    /// </summary>
    /// <param name="builder">The MCP server's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddInProcessQuotaAdmission(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddQuotaEngine(QuotaPolicyRole.Follower);
        builder.Services.AddSingleton<InProcessQuotaAdmission>();
        builder.Services.AddSingleton<IQuotaAdmission>(services => services.GetRequiredService<InProcessQuotaAdmission>());
        builder.Services.AddHealthChecks().AddCheck<QuotaPolicyReadinessCheck>("quota-policy");
        return builder;
    }
}
