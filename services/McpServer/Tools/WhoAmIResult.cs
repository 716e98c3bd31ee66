using System.ComponentModel;

namespace McpPlatform.McpServer.Tools;

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
