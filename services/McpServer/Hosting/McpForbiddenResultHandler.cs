using McpPlatform.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace McpPlatform.McpServer.Hosting;

/// <summary>
/// Turns an authorization failure of an authenticated caller into the 403 the MCP authorization
/// spec asks for: <c>insufficient_scope</c> with the scope needed, or a tenant-less token refused.
/// </summary>
internal sealed class McpForbiddenResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden || authorizeResult.AuthorizationFailure is null)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var reasons = authorizeResult.AuthorizationFailure.FailureReasons.Select(r => r.Message).ToList();
        var metadata = $"{context.Request.Scheme}://{context.Request.Host}/.well-known/oauth-protected-resource{context.Request.PathBase}{McpConventions.Path}";
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        if (reasons.Contains(McpCallerRequirementHandler.ScopeFailure))
        {
            context.Response.Headers.WWWAuthenticate =
                $"Bearer error=\"insufficient_scope\", scope=\"{PlatformScopes.McpTools}\", resource_metadata=\"{metadata}\"";
            await context.Response.WriteAsJsonAsync(new
            {
                error = "insufficient_scope",
                error_description = $"The token lacks the '{PlatformScopes.McpTools}' scope.",
            });
            return;
        }

        await context.Response.WriteAsJsonAsync(new
        {
            error = McpCallerRequirementHandler.TenantFailure,
            error_description = "The token carries no tenant_id or no valid principal_type; MCP tools run only for a tenant.",
        });
    }
}
