using McpPlatform.Core;
using McpPlatform.McpServer.Hosting;
using McpPlatform.McpServer.Tools;
using McpPlatform.ServiceClients;
using McpPlatform.ToolsWorkspace.Apis;
using McpPlatform.ToolsWorkspace.Connections;
using McpPlatform.ToolsWorkspace.Sandbox;
using McpPlatform.ToolsWorkspace.Tools;
using Npgsql;

namespace McpPlatform.ToolsWorkspace.Extensions;

/// <summary>Registration of the workspace MCP server.</summary>
public static class ToolsWorkspaceExtensions
{
    /// <summary>
    /// Adds the MCP server with the platform's call pipeline (admission through the quota service's
    /// HTTP API, audit through the spool) and its tools registered one by one; the connection store
    /// (the workspace database as its app role, which must be one RLS binds); token exchange and the
    /// secrets client; the non-redirecting sender; the egress allow-list; and the connections API's policy.
    /// </summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddToolsWorkspaceServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformMcpServer(PlatformServices.ToolsWorkspace)
            .WithTools<IdentityTools>()
            .WithTools<ConnectionTools>()
            .WithTools<ScriptTools>();

        var connectionString = builder.Configuration.GetConnectionString(InfrastructureResources.WorkspaceDatabase)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{InfrastructureResources.WorkspaceDatabase} is not set; the AppHost passes the app role's connection string.");
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        builder.Services.AddSingleton<ConnectionStore>();
        builder.Services.AddHostedService<DatabaseRoleCheck>();

        builder.Services.AddOptions<EgressOptions>().Bind(builder.Configuration.GetSection(EgressOptions.SectionName));
        builder.Services.AddSingleton<EgressPolicy>();
        builder.Services.AddOptions<ConnectionCallOptions>()
            .Bind(builder.Configuration.GetSection(ConnectionCallOptions.SectionName))
            .Validate(options => options.Validate().Count == 0, $"{ConnectionCallOptions.SectionName} is invalid (see ConnectionCallOptions.Validate).")
            .ValidateOnStart();
        builder.Services.AddOptions<SecretsOptions>().Bind(builder.Configuration.GetSection(SecretsOptions.SectionName));
        builder.Services.AddSingleton<ConnectionSender>();
        builder.Services.AddScoped<ConnectionCaller>();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.AddOptions<SandboxOptions>()
            .Bind(builder.Configuration.GetSection(SandboxOptions.SectionName))
            .Validate(options => options.Validate().Count == 0, $"{SandboxOptions.SectionName} is invalid (see SandboxOptions.Validate).")
            .ValidateOnStart();
        builder.Services.AddSingleton<SandboxEnvironment>();
        builder.Services.AddSingleton<SandboxMetrics>();
        builder.Services.AddSingleton<WorkerPool>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WorkerPool>());
        builder.Services.AddScoped<ScriptRunner>();
        builder.Services.AddHealthChecks().AddCheck<SandboxHealthCheck>(SandboxHealthCheck.Name, tags: [HealthEndpoints.DetailsTag]);

        builder.AddTokenExchange(PlatformServices.ToolsWorkspace);
        // One read per call (no retries: each read is an audit record, and a retried read is a
        // second copy of the value in memory), and no header values in the factory's logs (the
        // request carries an exchanged token). RemoveAllResilienceHandlers is marked experimental
        // in Microsoft.Extensions.Http.Resilience 10.x; it is the documented way to opt one client
        // out of ConfigureHttpClientDefaults' handler.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<SecretsClient>()
            .RemoveAllResilienceHandlers()
            .RedactLoggedHeaders(_ => true);
#pragma warning restore EXTEXP0001

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ConnectionsApi.AdminPolicy, policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.HasScope(PlatformScopes.WorkspaceAdmin)
                    && context.User.IsInRole(PlatformRoles.TenantAdmin)
                    && context.User.FindFirst(PlatformClaims.PrincipalType)?.Value == PrincipalTypes.User
                    && TenantCaller.FromClaims(context.User).Caller is not null));
        return builder;
    }

    /// <summary>Maps the MCP endpoint and the connections API.</summary>
    /// <param name="app">The built application.</param>
    /// <returns>The same application.</returns>
    public static WebApplication MapToolsWorkspace(this WebApplication app)
    {
        app.MapPlatformMcp();
        app.MapConnectionsApi();
        return app;
    }
}
