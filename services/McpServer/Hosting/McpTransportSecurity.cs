using McpPlatform.Core;
using McpPlatform.ServiceDefaults.Apis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.McpServer.Hosting;

/// <summary>
/// DNS-rebinding protection of an MCP server (MCP Streamable HTTP, security warning): the
/// <c>Host</c> must be one the service answers to (ASP.NET Core host filtering, 400 problem
/// <c>request.host_forbidden</c>), and a browser <c>Origin</c> on <c>/mcp</c> must be in
/// <c>Mcp:AllowedOrigins</c> (403 problem <c>request.origin_forbidden</c>). Both run as the
/// application's first middleware, before authentication spends work on the request.
/// </summary>
internal static class McpTransportSecurity
{
    public const string AllowedOriginsKey = "Mcp:AllowedOrigins";
    public const string AllowedHostsKey = "Mcp:AllowedHosts";
    public const string OriginForbiddenCode = "request.origin_forbidden";
    public const string HostForbiddenCode = "request.host_forbidden";

    private static readonly object HostAccepted = new();

    public static void Add(IHostApplicationBuilder builder, PlatformService service, string resource)
    {
        var origins = AllowedOrigins(builder.Configuration);
        string[] hosts =
        [
            "localhost", "127.0.0.1", "[::1]", service.ResourceName, new Uri(resource).Host,
            .. builder.Configuration.GetSection(AllowedHostsKey).Get<string[]>() ?? [],
        ];

        // The web defaults set AllowedHosts from configuration ("*" in appsettings.json); an MCP
        // server answers only to its own names, whatever that file says.
        builder.Services.PostConfigure<HostFilteringOptions>(options =>
        {
            options.AllowedHosts = [.. hosts.Distinct(StringComparer.OrdinalIgnoreCase)];
            // The outer filter below writes a problem instead of the default HTML page.
            options.IncludeFailureMessage = false;
        });
        builder.Services.AddCors();
        // First registered startup filter = outermost middleware: around host filtering.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IStartupFilter>(new HostProblemFilter()));
        builder.Services.AddSingleton<IStartupFilter>(new OriginFilter(origins));
    }

    /// <summary>Configured origins as browsers send them (<c>scheme://host[:port]</c>); start fails on anything else.</summary>
    internal static string[] AllowedOrigins(IConfiguration configuration)
    {
        var configured = configuration.GetSection(AllowedOriginsKey).Get<string[]>() ?? [];
        return [.. configured.Select(value =>
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.PathAndQuery != "/" || !string.IsNullOrEmpty(uri.UserInfo) || value.EndsWith('/'))
            {
                throw new InvalidOperationException(
                    $"{AllowedOriginsKey} entries must be origins like 'https://console.example.com' (scheme, host, optional port; no path); got '{value}'.");
            }

            return uri.GetLeftPart(UriPartial.Authority);
        })];
    }

    private static bool IsMcp(HttpContext context) => context.Request.Path.StartsWithSegments(McpConventions.Path);

    private sealed class HostProblemFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(inner => async context =>
            {
                await inner(context);
                // Host filtering rejects with an empty 400 before any later middleware marks the request.
                if (context.Response.StatusCode == StatusCodes.Status400BadRequest && !context.Response.HasStarted
                    && !context.Items.ContainsKey(HostAccepted))
                {
                    await Problems.Create(StatusCodes.Status400BadRequest, HostForbiddenCode,
                        "The Host header names no host this service answers to.").ExecuteAsync(context);
                }
            });
            next(app);
        };
    }

    private sealed class OriginFilter(string[] origins) : IStartupFilter
    {
        private readonly HashSet<string> _allowed = new(origins, StringComparer.OrdinalIgnoreCase);

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(inner => async context =>
            {
                context.Items[HostAccepted] = true;
                // No Origin: not a browser, nothing to rebind. "null" (sandboxed frames, file:) and
                // several values are foreign like any origin not configured.
                if (IsMcp(context) && context.Request.Headers.Origin is { Count: > 0 } origin
                    && (origin.Count > 1 || !_allowed.Contains(origin.ToString())))
                {
                    await Problems.Create(StatusCodes.Status403Forbidden, OriginForbiddenCode,
                        "Browser requests from this origin are not allowed (Mcp:AllowedOrigins).").ExecuteAsync(context);
                    return;
                }

                await inner(context);
            });
            if (_allowed.Count > 0)
            {
                // Allowed browser origins need CORS: answers preflight OPTIONS and exposes the challenge.
                app.UseWhen(IsMcp, branch => branch.UseCors(policy => policy
                    .WithOrigins([.. _allowed])
                    .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Delete)
                    .WithHeaders("authorization", "content-type", "accept", "mcp-protocol-version", "mcp-session-id", "last-event-id")
                    .WithExposedHeaders("www-authenticate", "mcp-session-id")
                    .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
            }

            next(app);
        };
    }
}
