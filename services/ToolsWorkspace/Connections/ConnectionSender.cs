using System.Text;
using McpPlatform.Core;
using Microsoft.Extensions.Options;

namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>
/// Sends connection calls with an HttpClient of its own: no redirect following (a redirect would
/// carry the credential's request to wherever the API points), no cookies, no proxy, no
/// decompression, no resilience retries and no IHttpClientFactory logging handler (which logs
/// header values at Trace). One per process; every call bounded by the configured timeout.
/// </summary>
public sealed class ConnectionSender : IDisposable
{
    private const string Redacted = "[redacted]";
    private readonly HttpClient _http;
    private readonly IOptions<ConnectionCallOptions> _options;

    /// <summary>Creates the sender with its own handler.</summary>
    /// <param name="options">Limits of a call.</param>
    public ConnectionSender(IOptions<ConnectionCallOptions> options)
        : this(options, new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxResponseHeadersLength = 64,
        })
    {
    }

    internal ConnectionSender(IOptions<ConnectionCallOptions> options, HttpMessageHandler handler)
    {
        _options = options;
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Sends the request and reads at most the configured number of body bytes.</summary>
    /// <param name="request">The request (built by <see cref="ConnectionRequests.Build"/>).</param>
    /// <param name="credential">The credential, so an API that echoes it back cannot hand it to the caller.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>What the API answered.</returns>
    /// <exception cref="ConnectionCallException">The API could not be reached or did not answer in time.</exception>
    internal async Task<ConnectionCallResult> SendAsync(HttpRequestMessage request, ReadOnlyMemory<byte> credential, CancellationToken cancellationToken)
    {
        var options = _options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            // Enough to see a credential that straddles the cap, so it is redacted whole.
            var limit = options.MaxResponseBodyBytes + credential.Length + 1;
            var buffer = new byte[limit];
            var read = 0;
            await using (var stream = await response.Content.ReadAsStreamAsync(timeout.Token))
            {
                int n;
                while (read < limit && (n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token)) > 0)
                {
                    read += n;
                }
            }

            var body = Redact(buffer.AsSpan(0, read), credential.Span);
            var truncated = body.Length > options.MaxResponseBodyBytes;
            var text = Encoding.UTF8.GetString(truncated ? body.AsSpan(0, options.MaxResponseBodyBytes) : body);
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            if (response.Content.Headers.ContentType?.ToString() is { } contentType)
            {
                headers["content-type"] = Encoding.UTF8.GetString(Redact(Encoding.UTF8.GetBytes(contentType), credential.Span));
            }

            return new ConnectionCallResult((int)response.StatusCode, headers, text, truncated);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConnectionCallException(ToolErrorCodes.ConnectionUnavailable,
                $"The connection's API did not answer within {options.TimeoutSeconds} seconds.", 5);
        }
        catch (HttpRequestException)
        {
            throw new ConnectionCallException(ToolErrorCodes.ConnectionUnavailable, "The connection's API could not be reached.", 5);
        }
    }

    /// <summary>The bytes with every occurrence of the credential replaced by <c>[redacted]</c>.</summary>
    internal static byte[] Redact(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> credential)
    {
        if (credential.IsEmpty || bytes.IndexOf(credential) < 0)
        {
            return bytes.ToArray();
        }

        var output = new List<byte>(bytes.Length);
        int at;
        while ((at = bytes.IndexOf(credential)) >= 0)
        {
            output.AddRange(bytes[..at]);
            output.AddRange(Encoding.ASCII.GetBytes(Redacted));
            bytes = bytes[(at + credential.Length)..];
        }

        output.AddRange(bytes);
        return [.. output];
    }

    /// <summary>Disposes the client and its handler.</summary>
    public void Dispose() => _http.Dispose();
}
