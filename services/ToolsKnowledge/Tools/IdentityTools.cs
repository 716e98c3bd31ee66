using System.ComponentModel;
using McpPlatform.Core;
using McpPlatform.McpServer.Pipeline;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.ToolsKnowledge.Tools;

/// <summary>Who a call runs as.</summary>
/// <param name="TenantId">The caller's tenant.</param>
/// <param name="PrincipalId">The user id or agent client id.</param>
/// <param name="PrincipalType">user or agent.</param>
/// <param name="InvocationId">This call's invocation id.</param>
public sealed record WhoAmIResult(
    [property: Description("The tenant this call runs for.")] string TenantId,
    [property: Description("The user id or agent client id.")] string PrincipalId,
    [property: Description("'user' or 'agent'.")] string PrincipalType,
    [property: Description("This call's invocation id: yours from _meta, or one the server generated.")] string InvocationId);

/// <summary>Identity introspection for callers.</summary>
[McpServerToolType]
public sealed class IdentityTools
{
    /// <summary>The whoami tool.</summary>
    // No declared output schema (UseStructuredContent): every call can end in a platform denial
    // whose structuredContent is {"error": …}, and real clients (the TypeScript SDK) validate
    // structuredContent against outputSchema even on error results. See docs/decisions/004.
    [McpServerTool(Name = "whoami", ReadOnly = true, Idempotent = true)]
    [Description("Returns who this call runs as: the tenant, the principal (user or agent), the principal type and the invocation id. " +
        "Use it to check which tenant your token belongs to before working with tenant data.")]
    public static CallToolResult WhoAmI(TenantContext tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        cancellationToken.ThrowIfCancellationRequested();
        return ToolResults.Structured(new WhoAmIResult(tenant.TenantId, tenant.PrincipalId, tenant.PrincipalType, tenant.InvocationId));
    }
}
