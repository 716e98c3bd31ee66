using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace McpPlatform.ServiceClients;

/// <summary>
/// This server's own client-credentials token for one platform service (no tenant in it), cached
/// until shortly before it expires and refreshed by one caller at a time. Subclasses name the
/// audience, the scope and the exception a refusal becomes.
/// </summary>
/// <param name="httpClients">Creates the token endpoint's client.</param>
/// <param name="discovery">identity's discovery document (token endpoint).</param>
/// <param name="client">This server's client id and secret.</param>
/// <param name="time">The clock.</param>
/// <param name="httpClientName">The named HttpClient used for the token endpoint.</param>
public abstract class ServiceTokenCache(
    IHttpClientFactory httpClients,
    DiscoveryDocument discovery,
    IOptions<ServerClientOptions> client,
    TimeProvider time,
    string httpClientName) : IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile CachedToken? _cached;

    /// <summary>The resource (audience) the token is for.</summary>
    protected abstract string Resource { get; }

    /// <summary>The scope requested.</summary>
    protected abstract string Scope { get; }

    /// <summary>A valid token, from cache when it has more than its refresh margin left.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The access token.</returns>
    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        var cached = _cached;
        if (cached is not null && time.GetUtcNow() < cached.RefreshAt)
        {
            return cached.AccessToken;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            cached = _cached;
            if (cached is not null && time.GetUtcNow() < cached.RefreshAt)
            {
                return cached.AccessToken;
            }

            _cached = cached = await FetchAsync(cancellationToken);
            return cached.AccessToken;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Forgets the cached token (the service answered 401, e.g. after key rotation).</summary>
    public void Invalidate() => _cached = null;

    /// <inheritdoc />
    public void Dispose()
    {
        _refresh.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The exception a failure to obtain the token becomes.</summary>
    /// <param name="problem">What went wrong, without secrets.</param>
    /// <returns>The exception to throw.</returns>
    protected abstract Exception Refused(string problem);

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        Uri endpoint;
        try
        {
            endpoint = await discovery.TokenEndpointAsync(cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw Refused($"identity's discovery document is unreachable: {exception.Message}");
        }

        var credentials = client.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["resource"] = Resource,
                ["scope"] = Scope,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
            Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(credentials.ClientId)}:{Uri.EscapeDataString(credentials.ClientSecret)}")));

        using var http = httpClients.CreateClient(httpClientName);
        using var response = await http.SendAsync(request, cancellationToken);
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        if (!response.IsSuccessStatusCode || !body.RootElement.TryGetProperty("access_token", out var accessToken))
        {
            var error = body.RootElement.TryGetProperty("error", out var e) ? e.GetString() : $"http_{(int)response.StatusCode}";
            throw Refused($"identity refused this server's token for {Resource}: {error}");
        }

        var lifetime = TimeSpan.FromSeconds(body.RootElement.TryGetProperty("expires_in", out var expiresIn) && expiresIn.TryGetInt32(out var seconds) ? seconds : 300);
        // Refresh a minute early (or at 80% of a short lifetime) so a token never expires in flight.
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, lifetime.Ticks / 5));
        return new CachedToken(accessToken.GetString()!, time.GetUtcNow() + lifetime - margin);
    }

    private sealed record CachedToken(string AccessToken, DateTimeOffset RefreshAt);
}
