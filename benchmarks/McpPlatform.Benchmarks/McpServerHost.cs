using System.ComponentModel;
using System.Globalization;
using McpPlatform.Core;
using McpPlatform.McpServer.Hosting;
using McpPlatform.McpServer.Tools;
using McpPlatform.Quota.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace McpPlatform.Benchmarks;

/// <summary>
/// <c>serve &lt;variant&gt; &lt;port&gt;</c>: one MCP server process for the end-to-end scenarios, built
/// from the platform's own wiring: <c>bare</c> (no auth, an echo tool: the SDK baseline),
/// <c>isolated</c> (the whole call pipeline as tools-knowledge runs it: token validation, tenant
/// context, in-process admission against the Redis in <c>ConnectionStrings:redis</c>, the audit
/// record through a spool to the running collector-tenant, platform telemetry to the running
/// collector-platform) and <c>remote</c> (the same pipeline with admission over HTTP through the
/// running quota service). The pipeline has no switches: a platform MCP server gets all of it.
/// </summary>
public static class McpServerHost
{
    public static async Task<int> RunAsync(string variant, int port)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration["urls"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");

        if (variant == "bare")
        {
            builder.Services.AddMcpServer().WithHttpTransport(options => options.Stateless = true).WithTools<EchoTool>();
            var bare = builder.Build();
            bare.MapMcp(McpConventions.Path);
            await bare.RunAsync();
            return 0;
        }

        // The real service's settings (log levels included), so the variants cost what the service costs.
        builder.Configuration.AddJsonFile(Path.Combine(Repository.Root, "services", "ToolsKnowledge", "appsettings.json"), optional: false);
        // Every platform MCP server audits every call (the call pipeline has no switch for it).
        builder.Configuration["Identity:ClientSecret"] = DevSecrets.Get(DemoDirectory.Parameters.ToolsKnowledgeClientSecret);
        builder.Configuration["Audit:BaseAddress"] = PlatformServices.CollectorTenant.LocalOrigin;
        builder.Configuration["Audit:SpoolPath"] = Path.Combine(Path.GetTempPath(), $"mcpplatform-bench-spool-{Environment.ProcessId}");

        if (variant == "isolated")
        {
            // Everything a call costs in tools-knowledge: telemetry exported to the running
            // collector-platform, audit through a spool to the running collector-tenant.
            builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = PlatformServices.CollectorPlatform.LocalOrigin;
            builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            builder.Configuration["OTEL_SERVICE_NAME"] = "bench-isolated";
        }

        if (variant == "isolated")
        {
            builder.AddInProcessQuotaAdmission();
        }
        else if (variant == "remote")
        {
            builder.Configuration["Quota:BaseAddress"] = PlatformServices.Quota.LocalOrigin;
        }
        else
        {
            Console.Error.WriteLine($"Unknown variant '{variant}': bare, isolated or remote.");
            return 2;
        }

        builder.AddServiceDefaults();
        // Tokens are issued for tools-knowledge's resource URL; this process answers for it.
        var mcp = builder.AddPlatformMcpServer(PlatformServices.ToolsKnowledge);
        mcp.WithTools<IdentityTools>();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPlatformMcp();
        await app.RunAsync();
        return 0;
    }

    /// <summary>The SDK-only baseline tool (docs/benchmarks.md's bare echo baseline).</summary>
    [McpServerToolType]
    public sealed class EchoTool
    {
        [McpServerTool(Name = "whoami"), Description("Echo baseline.")]
        public static string Echo(CancellationToken cancellationToken) => "echo";
    }
}
