namespace McpPlatform.Downstream.Apis;

/// <summary>What the downstream API saw of one call: who, on whose behalf, for which invocation.</summary>
/// <param name="TenantId">The tenant the call was made for.</param>
/// <param name="Subject">The original principal.</param>
/// <param name="PrincipalType">user or agent.</param>
/// <param name="InvocationId">The tool invocation.</param>
/// <param name="Actor">The MCP server that acted (act.sub).</param>
/// <param name="Message">The echoed message.</param>
/// <param name="ReceivedAt">When the call arrived.</param>
public sealed record EchoRecord(
    string TenantId, string Subject, string PrincipalType, string InvocationId, string Actor, string Message, DateTimeOffset ReceivedAt);
