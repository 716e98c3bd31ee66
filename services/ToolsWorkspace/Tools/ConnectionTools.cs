using System.ComponentModel;
using McpPlatform.Core;
using McpPlatform.McpServer.Pipeline;
using McpPlatform.ToolsWorkspace.Connections;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Npgsql;

namespace McpPlatform.ToolsWorkspace.Tools;

/// <summary>The tenant's HTTP connections: which there are, and calls through them with the tenant's own credential.</summary>
// No output schemas, for the reason given on IdentityTools (decision 004).
[McpServerToolType]
public sealed class ConnectionTools
{
    /// <summary>The list_connections tool.</summary>
    [McpServerTool(Name = "list_connections", ReadOnly = true, Idempotent = true)]
    [Description("Lists your tenant's HTTP connections: each one's name, base URL, and the path prefixes and methods a call may use. " +
        "Use a name from here with call_connection. Credentials are never shown.")]
    public static async Task<CallToolResult> ListConnections(
        ConnectionStore store,
        TenantContext tenant,
        ToolCall call,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            var connections = await store.ListAsync(tenant.TenantId, cancellationToken);
            return ToolResults.Structured(new ConnectionList(
                [.. connections.Select(c => new ConnectionSummary(c.Name, c.BaseUrl, c.AllowedPathPrefixes, c.AllowedMethods))]));
        }
        catch (NpgsqlException)
        {
            store.Recover();
            return call.Fail(ToolErrorCodes.ConnectionUnavailable, "The connection store could not be reached.", 5);
        }
    }

    /// <summary>The call_connection tool.</summary>
    [McpServerTool(Name = "call_connection", Idempotent = false)]
    [Description("Calls one of your tenant's HTTP connections with the tenant's own credential, which the server attaches and you never see. " +
        "Returns the HTTP status, the content-type and the response body (cut at a size cap; 'truncated' says so). " +
        "The path must start with one of the connection's allowed prefixes and the method must be one it allows; redirects are returned, not followed.")]
    public static async Task<CallToolResult> CallConnection(
        ConnectionCaller caller,
        TenantContext tenant,
        ToolCall call,
        [Description("The connection's name, from list_connections.")] string connection,
        [Description("The path (and optional query) relative to the connection's base URL, starting with '/', e.g. /v1/items?limit=10.")] string path,
        [Description("The HTTP method: GET (default), HEAD, POST, PUT, PATCH or DELETE, as the connection allows.")] string method = "GET",
        [Description("The request body, sent as application/json; not with GET or HEAD. At most 64 KiB by default.")] string? body = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return ToolResults.Structured(await caller.CallAsync(tenant, connection, path, method, body, ConnectionCaller.Tool, cancellationToken));
        }
        catch (ConnectionCallException exception)
        {
            return call.Fail(exception.Code, exception.Message, exception.RetryAfterSeconds);
        }
    }
}
