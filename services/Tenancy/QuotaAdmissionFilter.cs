using McpPlatform.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.Tenancy;

/// <summary>What one tool call actually used; tools add to it, the admission filter settles it at release.</summary>
public sealed class InvocationUsage
{
    private long _tokens;
    private long _costMicros;

    /// <summary>Records usage (e.g. embedding tokens, model cost).</summary>
    /// <param name="tokens">Tokens used.</param>
    /// <param name="cost">Cost used, in the budget's currency.</param>
    public void Add(long tokens, decimal cost)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        Interlocked.Add(ref _tokens, tokens);
        Interlocked.Add(ref _costMicros, (long)(cost * 1_000_000m));
    }

    /// <summary>The total so far.</summary>
    public QuotaUsage Total => new(Interlocked.Read(ref _tokens), Interlocked.Read(ref _costMicros) / 1_000_000m);
}

/// <summary>Per-tool usage estimates reserved at admission (configuration section <c>Quota:Estimates</c>).</summary>
public sealed class ToolEstimateOptions
{
    /// <summary>The estimate for tools without their own entry.</summary>
    public QuotaUsage Default { get; set; } = new(100, 0m);

    /// <summary>Estimates by tool name.</summary>
    public Dictionary<string, QuotaUsage> Tools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The estimate for a tool.</summary>
    public QuotaUsage For(string tool) => Tools.TryGetValue(tool, out var estimate) ? estimate : Default;
}

/// <summary>
/// Asks <c>quota</c> before every tool call and releases the lease afterwards with the actual
/// usage — when the tool succeeds, fails, throws, or the client goes away. A denial becomes the
/// tool result (isError, structuredContent.error with the reason code); the tool never runs.
/// </summary>
public static class QuotaAdmission
{
    /// <summary>
    /// Adds admission to every tool call of this MCP server. Call after
    /// <see cref="McpServerHostingExtensions.AddPlatformMcpServer"/>, so the tenant context exists
    /// when admission runs.
    /// </summary>
    /// <param name="mcp">The MCP server builder.</param>
    /// <param name="builder">The service's host builder (for the quota client and estimates).</param>
    /// <param name="service">This service.</param>
    /// <returns>The MCP server builder.</returns>
    public static IMcpServerBuilder WithQuotaAdmission(this IMcpServerBuilder mcp, IHostApplicationBuilder builder, PlatformService service)
    {
        ArgumentNullException.ThrowIfNull(mcp);
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddQuotaClient(service);
        builder.Services.AddOptions<ToolEstimateOptions>().Bind(builder.Configuration.GetSection("Quota:Estimates"));
        builder.Services.AddScoped<InvocationUsage>();
        return mcp.WithRequestFilters(filters => filters.AddCallToolFilter(Create));
    }

    private static McpRequestHandler<CallToolRequestParams, CallToolResult> Create(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) => async (request, cancellationToken) =>
    {
        var services = request.Services ?? throw new InvalidOperationException("The MCP request has no service scope.");
        var tenant = services.GetRequiredService<TenantContextAccessor>().Current
            ?? throw new InvalidOperationException("Admission runs after the tenant context filter.");
        var tool = request.Params?.Name ?? string.Empty;
        var quota = services.GetRequiredService<QuotaClient>();
        var estimate = services.GetRequiredService<IOptionsMonitor<ToolEstimateOptions>>().CurrentValue.For(tool);

        var admission = await quota.AdmitAsync(tenant, tool, estimate, cancellationToken);
        if (admission.Lease is not { } lease)
        {
            return admission.Denial!.ToToolResult();
        }

        try
        {
            return await next(request, cancellationToken);
        }
        finally
        {
            // Not the call's token: a cancelled call must still give its slot back. The client's
            // own timeout bounds this; an unreleased lease expires by itself anyway.
            await quota.ReleaseAsync(lease, services.GetRequiredService<InvocationUsage>().Total, CancellationToken.None);
        }
    };
}
