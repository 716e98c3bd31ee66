using McpPlatform.Core;
using McpPlatform.Quota.Engine;
using McpPlatform.Tenancy;
using McpPlatform.ToolsKnowledge.Services;
using McpPlatform.ToolsKnowledge.Tools;

namespace McpPlatform.ToolsKnowledge.Extensions;

/// <summary>Registration of the knowledge MCP server.</summary>
public static class ToolsKnowledgeExtensions
{
    /// <summary>
    /// Adds the MCP server with quota admission on every call and its tools registered one by
    /// one (the exposed surface is reviewable here), token exchange, and the downstream client.
    /// </summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddToolsKnowledgeServices(this IHostApplicationBuilder builder)
    {
        // In-process admission against Redis unless Quota:Mode says "remote" (HTTP to quota):
        // docs/decisions/005-in-process-admission.md.
        if (!string.Equals(builder.Configuration["Quota:Mode"], "remote", StringComparison.OrdinalIgnoreCase))
        {
            builder.AddInProcessQuotaAdmission();
        }

        builder.AddPlatformMcpServer(PlatformServices.ToolsKnowledge)
            .WithQuotaAdmission(builder, PlatformServices.ToolsKnowledge)
            .WithTools<IdentityTools>()
            .WithTools<DownstreamTools>();

        builder.AddTokenExchange(PlatformServices.ToolsKnowledge);
        builder.Services.AddHttpClient<DownstreamClient>(client =>
            // Service discovery resolves the name to wherever the AppHost put the service.
            client.BaseAddress = new Uri($"http://{PlatformServices.Downstream.ResourceName}"));
        builder.Services.AddOptions<DownstreamOptions>().Bind(builder.Configuration.GetSection("Downstream"));
        return builder;
    }
}
