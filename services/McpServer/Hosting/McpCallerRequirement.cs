using Microsoft.AspNetCore.Authorization;

namespace McpPlatform.McpServer.Hosting;

/// <summary>A caller of an MCP server: the <c>mcp:tools</c> scope, a tenant, a known principal type.</summary>
internal sealed class McpCallerRequirement : IAuthorizationRequirement;
