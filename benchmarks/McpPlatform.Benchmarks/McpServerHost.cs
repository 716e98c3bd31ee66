using System.ComponentModel;
using System.Globalization;
using McpPlatform.Core;
using McpPlatform.Quota.Engine;
using McpPlatform.Tenancy;
using McpPlatform.Tenancy.Audit;
using McpPlatform.ToolsKnowledge.Tools;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace McpPlatform.Benchmarks;

/// <summary>
/// <c>serve &lt;variant&gt; &lt;port&gt;</c>: one MCP server process for the end-to-end scenarios, built
/// from the platform's own wiring so the variants differ only in what is measured:
/// <c>bare</c> (no auth, an echo tool: the SDK baseline), <c>auth</c> (token validation and tenant
/// context, the real whoami tool), <c>full</c> (auth plus in-process quota admission against the
/// Redis in <c>ConnectionStrings:redis</c>), <c>isolated</c> (everything tools-knowledge does on a
/// call: <c>full</c> plus the audit record through a spool to the running collector-tenant and
/// the platform telemetry exported to the running collector-platform) and <c>remote</c> (auth plus
/// admission over HTTP through the running quota service). <c>auth</c> with
/// <see cref="AuditVariable"/>=true also writes every call's audit record through a spool to the
/// running collector-tenant (the telemetry-overhead benchmark's tenant pipeline).
/// </summary>
public static class McpServerHost
{
    /// <summary>Environment variable that adds the audit pipeline to the <c>auth</c> variant.</summary>
    public const string AuditVariable = "MCPPLATFORM_BENCH_AUDIT";

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
        var audit = variant == "isolated" || (variant == "auth" && Environment.GetEnvironmentVariable(AuditVariable) == "true");
        if (audit)
        {
            builder.Configuration["Identity:ClientSecret"] = DevSecrets.Get(DemoDirectory.Parameters.ToolsKnowledgeClientSecret);
            builder.Configuration["Audit:BaseAddress"] = PlatformServices.CollectorTenant.LocalOrigin;
            builder.Configuration["Audit:SpoolPath"] = Path.Combine(Path.GetTempPath(), $"mcpplatform-bench-spool-{Environment.ProcessId}");
        }

        if (variant == "isolated")
        {
            // Everything a call costs in tools-knowledge: telemetry exported to the running
            // collector-platform, audit through a spool to the running collector-tenant.
            builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = PlatformServices.CollectorPlatform.LocalOrigin;
            builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            builder.Configuration["OTEL_SERVICE_NAME"] = "bench-isolated";
        }

        builder.AddServiceDefaults();
        // Tokens are issued for tools-knowledge's resource URL; this process answers for it.
        var mcp = builder.AddPlatformMcpServer(PlatformServices.ToolsKnowledge);
        if (audit)
        {
            mcp.WithAudit(builder, PlatformServices.ToolsKnowledge);
        }

        if (variant == "isolated")
        {
            builder.AddInProcessQuotaAdmission();
            mcp.WithQuotaAdmission(builder, PlatformServices.ToolsKnowledge);
        }
        else if (variant == "full")
        {
            builder.AddInProcessQuotaAdmission();
            mcp.WithQuotaAdmission(builder, PlatformServices.ToolsKnowledge);
        }
        else if (variant == "remote")
        {
            builder.Configuration["Identity:ClientSecret"] = DevSecrets.Get(DemoDirectory.Parameters.ToolsKnowledgeClientSecret);
            builder.Configuration["Quota:BaseAddress"] = PlatformServices.Quota.LocalOrigin;
            mcp.WithQuotaAdmission(builder, PlatformServices.ToolsKnowledge);
        }
        else if (variant != "auth")
        {
            Console.Error.WriteLine($"Unknown variant '{variant}': bare, auth, full, isolated or remote.");
            return 2;
        }

        mcp.WithTools<IdentityTools>();
        var app = builder.Build();
        app.MapPlatformMcp();
        await app.RunAsync();
        return 0;
    }

    /// <summary>The SDK-only baseline tool (PERFORMANCE.md's bare echo).</summary>
    [McpServerToolType]
    public sealed class EchoTool
    {
        [McpServerTool(Name = "whoami"), Description("Echo baseline.")]
        public static string Echo(CancellationToken cancellationToken) => "echo";
    }
}
