using McpPlatform.Core;
using McpPlatform.Knowledge.Embeddings;
using McpPlatform.Knowledge.Store;
using McpPlatform.McpServer.Caching;
using McpPlatform.McpServer.Hosting;
using McpPlatform.McpServer.Tools;
using McpPlatform.Quota.Engine;
using McpPlatform.ServiceClients;
using McpPlatform.ToolsKnowledge.Apis;
using McpPlatform.ToolsKnowledge.Downstream;
using McpPlatform.ToolsKnowledge.Onboarding;
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

        // The whole call pipeline (metrics, tenant context, audit, admission) comes with the server.
        builder.AddPlatformMcpServer(PlatformServices.ToolsKnowledge)
            .WithTools<IdentityTools>()
            .WithTools<DownstreamTools>()
            .WithTools<KnowledgeTools>();

        builder.AddTokenExchange(PlatformServices.ToolsKnowledge);
        builder.Services.AddHttpClient<DownstreamClient>(client =>
            // Service discovery resolves the name to wherever the AppHost put the service.
            client.BaseAddress = new Uri($"http://{PlatformServices.Downstream.ResourceName}"));
        builder.Services.AddOptions<DownstreamOptions>().Bind(builder.Configuration.GetSection("Downstream"));
        builder.AddKnowledgeServices();
        return builder;
    }

    /// <summary>
    /// Adds the knowledge tools' services: the tenant-isolated vector store, the process-wide
    /// embedding generator and chunker, the tenant-scoped cache, the knowledge service and export
    /// pipeline, the onboarding step (provisioning and demo seed) and the operator export policy.
    /// </summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddKnowledgeServices(this IHostApplicationBuilder builder)
    {
        builder.AddKnowledgeStore();
        builder.AddKnowledgeEmbeddings();
        builder.AddTenantScopedCache();
        builder.Services.AddOptions<KnowledgeToolOptions>()
            .Bind(builder.Configuration.GetSection(KnowledgeToolOptions.SectionName))
            .Validate(options => options.Validate().Count == 0, $"{KnowledgeToolOptions.SectionName} is invalid (see KnowledgeToolOptions.Validate).")
            .ValidateOnStart();
        builder.Services.AddScoped<KnowledgeService>();
        builder.Services.AddSingleton<KnowledgeExporter>();

        builder.Services.AddOptions<KnowledgeOnboardingOptions>()
            .Bind(builder.Configuration.GetSection(KnowledgeOnboardingOptions.SectionName))
            .PostConfigure(options => options.SeedDemoCorpus |= builder.Configuration.GetValue<bool>("Seed:Enabled"));
        builder.Services.AddHostedService<KnowledgeOnboarding>();

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(KnowledgeExportApi.OperatorPolicy, policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.HasScope(PlatformScopes.McpTools) && context.User.IsInRole(PlatformRoles.Operator)));
        return builder;
    }

    /// <summary>
    /// Maps the MCP endpoint with the knowledge tools' request body limit (so an oversized document
    /// is answered by the tool with a reason code, not by Kestrel with 413) and the operator export API.
    /// </summary>
    /// <param name="app">The built application.</param>
    /// <returns>The same application.</returns>
    public static WebApplication MapToolsKnowledge(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<KnowledgeToolOptions>>().Value;
        app.MapPlatformMcp().WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(limits.MaxRequestBodyBytes));
        app.MapKnowledgeExportApi();
        return app;
    }
}
