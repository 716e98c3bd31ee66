using McpPlatform.Audit;
using McpPlatform.Core;
using McpPlatform.Core.Quota;
using McpPlatform.McpServer.Quota;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.McpServer.Pipeline;

/// <summary>Registration of the call pipeline (<see cref="ToolCallPipeline"/>).</summary>
public static class CallPipelineExtensions
{
    /// <summary>
    /// Adds the isolation pipeline to every <c>tools/call</c> of this MCP server: metrics, tenant
    /// context, audit and admission, in that order, as one request filter. Admission uses the
    /// <see cref="IQuotaAdmission"/> registered before this call (in-process,
    /// <c>AddInProcessQuotaAdmission</c>), else the HTTP client to <c>quota</c>. Audit records go
    /// through this service's spool to <c>collector-tenant</c> (<see cref="AuditExtensions.AddAuditEmitter"/>).
    /// <c>AddPlatformMcpServer</c> calls this; a server calls it itself only when it builds its MCP server by hand.
    /// </summary>
    /// <param name="mcp">The MCP server builder.</param>
    /// <param name="builder">The service's host builder.</param>
    /// <param name="service">This service (names the spool folder and the default client id).</param>
    /// <returns>The MCP server builder.</returns>
    public static IMcpServerBuilder WithPlatformCallPipeline(this IMcpServerBuilder mcp, IHostApplicationBuilder builder, PlatformService service)
    {
        ArgumentNullException.ThrowIfNull(mcp);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(service);

        builder.Services.AddSingleton<ToolCallMetrics>();
        builder.Services.AddScoped<ToolCall>();
        builder.Services.AddScoped(services => services.GetRequiredService<ToolCall>().Usage);
        builder.Services.AddScoped(services => services.GetRequiredService<ToolCall>().Tenant
            ?? throw new InvalidOperationException("TenantContext exists only inside a tool call."));

        builder.AddAuditEmitter(service);

        if (!builder.Services.Any(descriptor => descriptor.ServiceType == typeof(IQuotaAdmission)))
        {
            builder.AddQuotaClient(service);
        }

        builder.Services.AddOptions<ToolEstimateOptions>().Bind(builder.Configuration.GetSection(ToolEstimateOptions.SectionName));
        builder.Services.AddOptions<DenialPacingOptions>().Bind(builder.Configuration.GetSection(DenialPacingOptions.SectionName));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DenialPacer>();
        builder.Services.AddSingleton<PendingReleases>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PendingReleases>());

        return mcp.WithRequestFilters(filters => filters.AddCallToolFilter(ToolCallPipeline.Create));
    }
}
