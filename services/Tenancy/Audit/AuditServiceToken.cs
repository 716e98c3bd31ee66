using System.Net.Http.Headers;
using System.Text.Json;
using McpPlatform.Core;
using Microsoft.Extensions.Options;

namespace McpPlatform.Tenancy.Audit;

/// <summary>This server could not obtain its own token for <c>collector-tenant</c>.</summary>
/// <param name="message">What went wrong.</param>
public sealed class AuditTokenException(string message) : Exception(message);

/// <summary>
/// This server's client-credentials token for <c>collector-tenant</c> (audience = the collector's
/// origin, scope <c>audit:write</c>, no tenant), cached until shortly before it expires.
/// </summary>
internal sealed class AuditServiceToken(
    IHttpClientFactory httpClients,
    DiscoveryDocument discovery,
    IOptions<ServerClientOptions> client,
    IOptions<AuditOptions> audit,
    TimeProvider time) : IDisposable
{
    public const string HttpClientName = "audit-token";

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile CachedToken? _cached;

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
            if (cached is null || time.GetUtcNow() >= cached.RefreshAt)
            {
                _cached = cached = await FetchAsync(cancellationToken);
            }

            return cached.AccessToken;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Invalidate() => _cached = null;

    public void Dispose() => _refresh.Dispose();

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        Uri endpoint;
        try
        {
            endpoint = await discovery.TokenEndpointAsync(cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new AuditTokenException($"identity's discovery document is unreachable: {exception.Message}");
        }

        var credentials = client.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["resource"] = audit.Value.Audience,
                ["scope"] = PlatformScopes.AuditWrite,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
            System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(credentials.ClientId)}:{Uri.EscapeDataString(credentials.ClientSecret)}")));

        using var http = httpClients.CreateClient(HttpClientName);
        using var response = await http.SendAsync(request, cancellationToken);
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        if (!response.IsSuccessStatusCode || !body.RootElement.TryGetProperty("access_token", out var accessToken))
        {
            var error = body.RootElement.TryGetProperty("error", out var e) ? e.GetString() : $"http_{(int)response.StatusCode}";
            throw new AuditTokenException($"identity refused this server's audit token: {error}");
        }

        var lifetime = TimeSpan.FromSeconds(body.RootElement.TryGetProperty("expires_in", out var expiresIn) && expiresIn.TryGetInt32(out var seconds) ? seconds : 300);
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, lifetime.Ticks / 5));
        return new CachedToken(accessToken.GetString()!, time.GetUtcNow() + lifetime - margin);
    }

    private sealed record CachedToken(string AccessToken, DateTimeOffset RefreshAt);
}
