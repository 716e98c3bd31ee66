using McpPlatform.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore.Authentication;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Protocol;

namespace McpPlatform.Tenancy;

/// <summary>
/// Makes a service an MCP resource server of the platform: Streamable HTTP at <c>/mcp</c>,
/// token validation for its own resource identifier, RFC 9728 protected resource metadata,
/// 401/403 per the MCP authorization spec, and a <see cref="TenantContext"/> for every tool call.
/// </summary>
public static class McpServerHostingExtensions
{
    /// <summary>The authorization policy every MCP endpoint requires.</summary>
    public const string CallerPolicy = "mcp-caller";

    /// <summary>Configuration key overriding the resource identifier (deployments behind another host name).</summary>
    public const string ResourceKey = "Mcp:Resource";

    /// <summary>Adds the MCP server, its authentication and the per-call tenant context.</summary>
    /// <param name="builder">The service's host builder.</param>
    /// <param name="service">Which platform service this is (name, fixed local URL).</param>
    /// <returns>The MCP server builder, for registering tools explicitly with <c>WithTools&lt;T&gt;()</c>.</returns>
    public static IMcpServerBuilder AddPlatformMcpServer(this IHostApplicationBuilder builder, PlatformService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var resource = builder.Configuration[ResourceKey] ?? service.LocalMcpResource;
        var authority = TokenValidationExtensions.PlatformAuthority(builder.Configuration);

        builder.AddPlatformTokenValidation(resource)
            .AddMcp(options => options.ResourceMetadata = new ProtectedResourceMetadata
            {
                Resource = resource,
                AuthorizationServers = [authority.ToString()],
                ScopesSupported = [PlatformScopes.McpTools],
                BearerMethodsSupported = ["header"],
                ResourceName = service.ResourceName,
            });

        // Tokens are validated by the JWT scheme; challenges come from the MCP scheme so a 401
        // carries WWW-Authenticate with resource_metadata (MCP authorization, RFC 9728 §5.1).
        builder.Services.Configure<AuthenticationOptions>(options =>
            options.DefaultChallengeScheme = McpAuthenticationDefaults.AuthenticationScheme);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(CallerPolicy, policy => policy.RequireAuthenticatedUser().AddRequirements(new McpCallerRequirement()));
        builder.Services.AddSingleton<IAuthorizationHandler, McpCallerRequirementHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, McpForbiddenResultHandler>();

        builder.Services.AddOptions<McpSchedulingOptions>().Bind(builder.Configuration.GetSection(McpSchedulingOptions.SectionName));
        builder.Services.AddSingleton<TenantFairScheduler>();

        // Only registered tool and prompt names leave the service in platform telemetry.
        builder.Services.AddSingleton<McpPlatform.ServiceDefaults.Telemetry.IMcpVocabulary, McpServerVocabulary>();
        builder.Services.AddSingleton<ToolCallMetrics>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<TenantContextAccessor>();
        builder.Services.AddScoped(services => services.GetRequiredService<TenantContextAccessor>().Current
            ?? throw new InvalidOperationException("TenantContext exists only inside a tool call."));

        return builder.Services
            .AddMcpServer(options => options.ServerInfo = new Implementation
            {
                Name = service.ResourceName,
                Version = typeof(McpServerHostingExtensions).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            })
            // Stateless: no session affinity, so instances scale out behind a plain load balancer.
            .WithHttpTransport(options => options.Stateless = true)
            // Outermost: every call is counted, whatever the filters inside decide (ToolCallMetrics).
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolCallMetrics.Filter))
            .WithRequestFilters(filters => filters.AddCallToolFilter(TenantContextFilter.Create));
    }

    /// <summary>
    /// Maps the MCP endpoint at <c>/mcp</c> behind authentication, the caller policy and, when
    /// <c>Mcp:Scheduling:Workers</c> is set, the per-tenant fair scheduler (<see cref="TenantFairScheduler"/>).
    /// </summary>
    /// <param name="app">The built application.</param>
    /// <returns>The endpoint convention builder.</returns>
    public static IEndpointConventionBuilder MapPlatformMcp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        if (app.Services.GetRequiredService<IOptions<McpSchedulingOptions>>().Value.Enabled)
        {
            app.UseMiddleware<TenantFairSchedulingMiddleware>();
        }

        return app.MapMcp(McpConventions.Path).RequireAuthorization(CallerPolicy);
    }
}
