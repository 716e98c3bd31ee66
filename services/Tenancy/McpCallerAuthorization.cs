using McpPlatform.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.Tenancy;

/// <summary>A caller of an MCP server: the <c>mcp:tools</c> scope, a tenant, a known principal type.</summary>
internal sealed class McpCallerRequirement : IAuthorizationRequirement;

internal sealed class McpCallerRequirementHandler : AuthorizationHandler<McpCallerRequirement>
{
    public const string ScopeFailure = "insufficient_scope";
    public const string TenantFailure = "tenant_required";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, McpCallerRequirement requirement)
    {
        var user = context.User;
        if (!user.HasScope(PlatformScopes.McpTools))
        {
            context.Fail(new AuthorizationFailureReason(this, ScopeFailure));
        }
        else if (string.IsNullOrEmpty(user.FindFirst(PlatformClaims.TenantId)?.Value)
            || user.FindFirst(PlatformClaims.PrincipalType)?.Value is not (PrincipalTypes.User or PrincipalTypes.Agent))
        {
            context.Fail(new AuthorizationFailureReason(this, TenantFailure));
        }
        else
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

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
