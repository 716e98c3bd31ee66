using McpPlatform.Core;
using McpPlatform.McpServer.Pipeline;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore.Authentication;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Protocol;

namespace McpPlatform.McpServer.Hosting;

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

    /// <summary>
    /// Adds the MCP server, its authentication, the per-call tenant context and DNS-rebinding
    /// protection: <c>Host</c> limited to localhost, 127.0.0.1, [::1], the service name, the host of
    /// <c>Mcp:Resource</c> and <c>Mcp:AllowedHosts</c> (else 400); a browser <c>Origin</c> on
    /// <c>/mcp</c> must be in <c>Mcp:AllowedOrigins</c> (default none; else 403).
    /// </summary>
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

        // DNS rebinding: only this service's host names, and browser origins only when configured.
        McpTransportSecurity.Add(builder, service, resource);

        builder.Services.AddOptions<McpSchedulingOptions>().Bind(builder.Configuration.GetSection(McpSchedulingOptions.SectionName));
        builder.Services.AddSingleton<TenantFairScheduler>();
        builder.Services.AddOptions<McpOverloadOptions>().Bind(builder.Configuration.GetSection(McpOverloadOptions.SectionName))
            .Validate(options => options.MaxConcurrentRequests >= 0 && options.MaxQueueMilliseconds >= 0 && options.RetryAfterSeconds >= 1,
                "Mcp:Overload: MaxConcurrentRequests and MaxQueueMilliseconds must be 0 or more, RetryAfterSeconds 1 or more.")
            .ValidateOnStart();
        builder.Services.AddSingleton<RequestShedding>();
        builder.Services.AddSingleton<IStartupFilter, RequestSheddingStartupFilter>();

        // Only registered tool and prompt names leave the service in platform telemetry.
        builder.Services.AddSingleton<McpPlatform.ServiceDefaults.Telemetry.IMcpVocabulary, McpServerVocabulary>();
        builder.Services.AddHttpContextAccessor();

        return builder.Services
            .AddMcpServer(options => options.ServerInfo = new Implementation
            {
                Name = service.ResourceName,
                Version = typeof(McpServerHostingExtensions).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            })
            // Stateless: no session affinity, so instances scale out behind a plain load balancer.
            .WithHttpTransport(options => options.Stateless = true)
            .WithPlatformCallPipeline(builder, service);
    }

    /// <summary>
    /// Maps the MCP endpoint at <c>/mcp</c>, behind the caller policy and, when
    /// <c>Mcp:Scheduling:Workers</c> is set, the per-tenant fair scheduler
    /// (<see cref="TenantFairScheduler"/>). Load shedding (<see cref="McpOverloadOptions"/>, on by
    /// default) is not here: <see cref="AddPlatformMcpServer"/> puts it ahead of all middleware.
    /// Authentication and authorization are the application's middleware (<c>UseAuthentication</c>,
    /// <c>UseAuthorization</c> in <c>Program.cs</c>); this only maps.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <returns>The endpoint convention builder.</returns>
    public static IEndpointConventionBuilder MapPlatformMcp(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var mcp = endpoints.MapMcp(McpConventions.Path).RequireAuthorization(CallerPolicy);
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<McpSchedulingOptions>>().Value.Enabled)
        {
            // Wraps the MCP endpoint itself: runs after authorization, for MCP requests only.
            mcp.Add(endpoint => endpoint.RequestDelegate = TenantFairScheduling.Wrap(
                endpoint.RequestDelegate!, endpoints.ServiceProvider.GetRequiredService<TenantFairScheduler>()));
        }

        return mcp;
    }

    /// <summary>
    /// Answers MCP requests whose JSON is not valid Unicode text with a <c>request.invalid_text</c>
    /// tool error (<see cref="InvalidTextMiddleware"/>) before the SDK fails to bind them. Call it
    /// after authentication and authorization, so unauthenticated callers still get 401.
    /// </summary>
    /// <param name="app">The built application.</param>
    /// <returns>The same application.</returns>
    public static WebApplication UseInvalidTextAnswers(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.Equals(McpConventions.Path, StringComparison.Ordinal),
            mcp => mcp.UseMiddleware<InvalidTextMiddleware>());
        return app;
    }
}
