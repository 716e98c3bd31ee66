using McpPlatform.Core;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.Tenancy;

/// <summary>Builds the <see cref="TenantContext"/> before every tool call.</summary>
internal static class TenantContextFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Create(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) => async (request, cancellationToken) =>
    {
        string? clientInvocationId = null;
        if (request.Params?.Meta is { } meta && meta.TryGetPropertyValue(McpConventions.InvocationIdMetaKey, out var node) && node is not null)
        {
            clientInvocationId = node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : string.Empty;
        }

        var result = TenantContext.TryCreate(request.User ?? new System.Security.Claims.ClaimsPrincipal(), clientInvocationId);
        if (result.Context is not { } tenant)
        {
            return ToolErrors.Create(result.ErrorCode!, result.ErrorMessage!);
        }

        var services = request.Services ?? throw new InvalidOperationException("The MCP request has no service scope.");
        services.GetRequiredService<TenantContextAccessor>().Current = tenant;

        // No log scope with the tenant: scopes reach every logging provider (the console too,
        // which the dashboard shows), and tenant identity belongs to the audit pipeline only
        // (docs/telemetry.md). Code that needs the tenant takes the TenantContext.
        return await next(request, cancellationToken);
    };
}
