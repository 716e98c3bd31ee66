using System.Net.Http.Headers;
using System.Text.Json;
using McpPlatform.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace McpPlatform.ServiceClients;

/// <summary>
/// Obtains tokens for downstream calls by RFC 8693 token exchange: the caller's token is the
/// subject, this server authenticates as itself (the actor), and the result is valid for one
/// downstream audience and one invocation. The caller's token is never sent downstream, and the
/// server's own credentials never stand alone for a tenant.
/// </summary>
public sealed class TokenExchangeClient(
    HttpClient http,
    IHttpContextAccessor httpContextAccessor,
    IOptions<ServerClientOptions> options,
    DiscoveryDocument discovery)
{
    /// <summary>Exchanges the current caller's token for one for <paramref name="audience"/>.</summary>
    /// <param name="tenant">The current call's context (its invocation id goes into the token).</param>
    /// <param name="audience">The downstream resource identifier.</param>
    /// <param name="cancellationToken">Stops the exchange.</param>
    /// <returns>The exchanged access token.</returns>
    /// <exception cref="TokenExchangeException">The authorization server refused.</exception>
    public async Task<string> ExchangeAsync(TenantContext tenant, string audience, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var subjectToken = CurrentBearerToken()
            ?? throw new TokenExchangeException("no_subject_token", "The current request carries no bearer token to exchange.");

        var tokenEndpoint = await discovery.TokenEndpointAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = TokenExchange.GrantType,
                ["subject_token"] = subjectToken,
                ["subject_token_type"] = TokenExchange.AccessTokenType,
                ["requested_token_type"] = TokenExchange.AccessTokenType,
                ["resource"] = audience,
                [TokenExchange.InvocationIdParameter] = tenant.InvocationId,
            }),
        };
        var client = options.Value;
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
            System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(client.ClientId)}:{Uri.EscapeDataString(client.ClientSecret)}")));

        using var response = await http.SendAsync(request, cancellationToken);
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        if (!response.IsSuccessStatusCode || !body.RootElement.TryGetProperty("access_token", out var token))
        {
            var error = body.RootElement.TryGetProperty("error", out var e) ? e.GetString() : $"http_{(int)response.StatusCode}";
            var description = body.RootElement.TryGetProperty("error_description", out var d) ? d.GetString() : null;
            throw new TokenExchangeException(error ?? "unknown_error", description ?? "The authorization server refused the token exchange.");
        }

        return token.GetString()!;
    }

    private string? CurrentBearerToken()
    {
        var header = httpContextAccessor.HttpContext?.Request.Headers.Authorization.ToString();
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}
