using McpPlatform.CollectorPlatform.Apis;
using McpPlatform.CollectorPlatform.Ingest;
using McpPlatform.Core;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using OpenTelemetry.Instrumentation.AspNetCore;

namespace McpPlatform.CollectorPlatform.Extensions;

/// <summary>Registration of collector-platform's services.</summary>
public static class CollectorPlatformExtensions
{
    /// <summary>
    /// Policy of the read APIs (<c>/v1/findings</c>, <c>/v1/tool-calls</c>, <c>/v1/received</c>): an
    /// operator's token for this service with <c>telemetry:read</c>.
    /// </summary>
    public const string OperatorPolicy = "telemetry-read";

    /// <summary>Configuration key of this service's audience (defaults to its fixed local origin).</summary>
    public const string AudienceKey = "CollectorPlatform:Audience";

    /// <summary>Adds the checker, stores, aggregator and forwarder, and the operator token check of the read APIs.</summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddCollectorPlatformServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddPlatformTokenValidation(builder.Configuration[AudienceKey] ?? PlatformServices.CollectorPlatform.LocalOrigin);
        builder.Services.AddAuthorizationBuilder()
            // The policy names its scheme: the read APIs authenticate on demand, and OTLP exports
            // (several a second, with ingest keys that are not JWTs) are never parsed as tokens.
            .AddPolicy(OperatorPolicy, policy => policy
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.HasScope(PlatformScopes.TelemetryRead)
                    && context.User.IsInRole(PlatformRoles.Operator)));
        builder.Services.AddOptions<CollectorPlatformOptions>()
            .Bind(builder.Configuration.GetSection(CollectorPlatformOptions.SectionName))
            .Validate(o => o.MaxRequestBytes > 0, "CollectorPlatform:MaxRequestBytes must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TenantFreeChecker>();
        builder.Services.AddSingleton<FindingsStore>();
        builder.Services.AddSingleton<ToolCallStats>();
        builder.Services.AddSingleton<ReceivedStore>();
        builder.Services.AddSingleton<DashboardForwarder>();
        builder.Services.AddSingleton<TraceForwardSampler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DashboardForwarder>());
        builder.Services.AddSingleton<IngestServices>();
        builder.Services.AddHttpClient(DashboardForwarder.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));

        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(CollectorMeters.Name));
        // Ingest requests would otherwise become spans of their own, exported back to the dashboard
        // every few seconds per service: noise about the pipeline instead of the platform.
        builder.Services.Configure<AspNetCoreTraceInstrumentationOptions>(options => options.Filter = context =>
            !context.Request.Path.StartsWithSegments("/v1")
            && !context.Request.Path.StartsWithSegments(HealthEndpoints.Health)
            && !context.Request.Path.StartsWithSegments(HealthEndpoints.Alive));
        return builder;
    }

    /// <summary>
    /// Maps the OTLP receivers and the operator API. There is no <c>UseAuthentication</c>: the
    /// receivers check ingest keys themselves, and the operator policy authenticates its own scheme.
    /// </summary>
    /// <param name="app">The built application.</param>
    /// <returns>The same application.</returns>
    public static WebApplication MapCollectorPlatform(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthorization();
        app.MapOtlpIngestApi();
        app.MapCollectorApi();
        return app;
    }
}
