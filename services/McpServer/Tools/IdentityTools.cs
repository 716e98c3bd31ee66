using System.ComponentModel;
using McpPlatform.Core;
using McpPlatform.McpServer.Pipeline;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.McpServer.Tools;

/// <summary>Identity introspection for callers: the same <c>whoami</c> on every platform MCP server.</summary>
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
