using System.Net.Http.Headers;
using System.Text;

namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>Builds the outbound request of a call: URL from the connection's origin and the checked path, the credential in the connection's header.</summary>
internal static class ConnectionRequests
{
    /// <summary>
    /// The request to send. The URL is checked once more after <see cref="Uri"/> has parsed it: it
    /// must still be on the connection's origin and under an allowed prefix.
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <param name="method">The method (checked against the connection's list).</param>
    /// <param name="pathAndQuery">The path (checked with <see cref="ConnectionPath.Problem"/>).</param>
    /// <param name="body">The body's bytes, or null.</param>
    /// <param name="credential">The credential's bytes.</param>
    /// <returns>The request; the caller sends and disposes it.</returns>
    /// <exception cref="ConnectionCallException">The URL or the credential cannot be used.</exception>
    public static HttpRequestMessage Build(Connection connection, string method, string pathAndQuery, byte[]? body, ReadOnlySpan<byte> credential)
    {
        var origin = EgressPolicy.Origin(connection.BaseUrl)
            ?? throw new ConnectionCallException(McpPlatform.Core.ToolErrorCodes.ConnectionDenied, "The connection's base URL is not an http(s) origin.");
        var url = new Uri(origin + pathAndQuery, UriKind.Absolute);
        if (!string.Equals(url.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase)
            || !ConnectionPath.IsUnder(url.AbsolutePath, connection.AllowedPathPrefixes))
        {
            throw new ConnectionCallException(McpPlatform.Core.ToolErrorCodes.ConnectionDenied, "The path is outside the connection's allowed path prefixes.");
        }

        // A header value is printable ASCII (and tab): anything else could split or smuggle headers.
        foreach (var b in credential)
        {
            if (b is (< 0x20 and not 0x09) or > 0x7E)
            {
                throw new ConnectionCallException(McpPlatform.Core.ToolErrorCodes.ConnectionDenied,
                    "The connection's secret is not a valid header value (printable ASCII only); a tenant admin should rotate it.");
            }
        }

        var request = new HttpRequestMessage(new HttpMethod(method), url);
        // HttpClient takes header values as strings only; this one lives until the request is disposed
        // at the end of the call and is never logged (the client has no logging handler).
        request.Headers.TryAddWithoutValidation(connection.CredentialHeader, (connection.CredentialPrefix ?? string.Empty) + Encoding.ASCII.GetString(credential));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        return request;
    }
}
