using System.Text;
using McpPlatform.Core;
using Microsoft.Extensions.Options;
using Npgsql;

namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>
/// One <c>call_connection</c>, in the order that fetches the credential last: check the arguments,
/// find the caller tenant's connection, check method, path and egress, then read the secret for
/// this invocation, attach it, send, and zero it whatever happened.
/// </summary>
public sealed class ConnectionCaller(
    ConnectionStore store,
    EgressPolicy egress,
    SecretsClient secrets,
    ConnectionSender sender,
    IOptions<ConnectionCallOptions> options)
{
    /// <summary>The tool the secret read names.</summary>
    public const string Tool = "call_connection";

    /// <summary>Calls a connection for the current caller.</summary>
    /// <param name="tenant">The current call's context: the only source of the tenant.</param>
    /// <param name="name">The connection's name.</param>
    /// <param name="path">Path (and query) relative to the connection's base URL.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="body">The request body, or null.</param>
    /// <param name="tool">The tool the call is for, as the secret read names it (the secret's allow-list must list it).</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>What the API answered.</returns>
    /// <exception cref="ConnectionCallException">An expected failure with its reason code.</exception>
    public async Task<ConnectionCallResult> CallAsync(TenantContext tenant, string? name, string? path, string? method, string? body, string tool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (!ConnectionRules.IsName(name))
        {
            throw new ConnectionCallException(ToolErrorCodes.InvalidArgument,
                "Argument 'connection' must be 1-64 lowercase letters, digits, '.', '_' or '-'; list_connections shows the names.");
        }

        var verb = ConnectionRules.Method(method)
            ?? throw new ConnectionCallException(ToolErrorCodes.InvalidArgument, $"Argument 'method' must be one of {string.Join(", ", ConnectionRules.KnownMethods)}.");
        byte[]? bytes = null;
        if (body is not null)
        {
            if (verb is "GET" or "HEAD")
            {
                throw new ConnectionCallException(ToolErrorCodes.InvalidArgument, $"Argument 'body' is not sent with {verb}; leave it out.");
            }

            var max = options.Value.MaxRequestBodyBytes;
            if (body.Length > max || Encoding.UTF8.GetByteCount(body) > max)
            {
                throw new ConnectionCallException(ToolErrorCodes.InvalidArgument, $"Argument 'body' must be at most {max} bytes of UTF-8.");
            }

            bytes = Encoding.UTF8.GetBytes(body);
        }

        if (ConnectionPath.Problem(path) is { } problem)
        {
            throw new ConnectionCallException(ToolErrorCodes.ConnectionDenied, problem);
        }

        Connection? connection;
        try
        {
            connection = await store.FindAsync(tenant.TenantId, name!, cancellationToken);
        }
        catch (NpgsqlException)
        {
            store.Recover();
            throw new ConnectionCallException(ToolErrorCodes.ConnectionUnavailable, "The connection store could not be reached.", 5);
        }

        if (connection is null)
        {
            throw new ConnectionCallException(ToolErrorCodes.ConnectionNotFound,
                "Your tenant has no connection of that name; list_connections shows the ones you can call.");
        }

        if (!connection.AllowedMethods.Contains(verb, StringComparer.Ordinal))
        {
            throw new ConnectionCallException(ToolErrorCodes.ConnectionDenied,
                $"The connection allows {string.Join(", ", connection.AllowedMethods)} only.");
        }

        if (!ConnectionPath.IsUnder(path!, connection.AllowedPathPrefixes))
        {
            throw new ConnectionCallException(ToolErrorCodes.ConnectionDenied,
                $"The path is outside the connection's allowed prefixes ({string.Join(", ", connection.AllowedPathPrefixes)}).");
        }

        if (!egress.IsAllowed(connection.BaseUrl))
        {
            throw new ConnectionCallException(ToolErrorCodes.ConnectionDenied, "The connection's base URL is not on the platform's egress allow-list.");
        }

        using var credential = await secrets.ReadAsync(tenant, connection.SecretName, tool, cancellationToken);
        using var request = ConnectionRequests.Build(connection, verb, path!, bytes, credential.Value);
        return await sender.SendAsync(request, credential.Memory, cancellationToken);
    }
}
