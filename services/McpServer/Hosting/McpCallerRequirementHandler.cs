using McpPlatform.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.McpServer.Hosting;

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
