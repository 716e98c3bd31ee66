using System.Net.Http.Headers;
using System.Text.Json;
using McpPlatform.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Polly.Timeout;

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
    /// <summary>The longest an exchange may take, retries included.</summary>
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The longest one attempt may take.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Exchanges the current caller's token for one for <paramref name="audience"/>.</summary>
    /// <param name="tenant">The current call's context (its invocation id goes into the token).</param>
    /// <param name="audience">The downstream resource identifier.</param>
    /// <param name="cancellationToken">Stops the exchange.</param>
    /// <returns>The exchanged access token.</returns>
    /// <exception cref="TokenExchangeException">The authorization server refused.</exception>
    /// <exception cref="IdentityUnavailableException">The authorization server could not be asked (down, overloaded, 5xx).</exception>
    public async Task<string> ExchangeAsync(TenantContext tenant, string audience, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var subjectToken = CurrentBearerToken()
            ?? throw new TokenExchangeException("no_subject_token", "The current request carries no bearer token to exchange.");

        Uri tokenEndpoint;
        try
        {
            tokenEndpoint = await discovery.TokenEndpointAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or TimeoutRejectedException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new IdentityUnavailableException("The identity service's discovery document could not be read.", exception);
        }

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

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new IdentityUnavailableException("The identity service could not be reached.", exception);
        }
        catch (Exception exception) when (exception is TimeoutRejectedException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new IdentityUnavailableException("The identity service did not answer in time.", exception);
        }

        using (response)
        {
            JsonDocument body;
            try
            {
                body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            }
            catch (JsonException exception)
            {
                throw new IdentityUnavailableException($"The identity service answered {(int)response.StatusCode} without an OAuth response.", exception);
            }

            using (body)
            {
                if (response.IsSuccessStatusCode && body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("access_token", out var token))
                {
                    return token.GetString()!;
                }

                var error = body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
                if ((int)response.StatusCode >= 500 || error == TemporarilyUnavailable)
                {
                    throw new IdentityUnavailableException($"The identity service answered {(int)response.StatusCode}{(error is null ? string.Empty : $" ({error})")}.");
                }

                var description = body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("error_description", out var d) ? d.GetString() : null;
                throw new TokenExchangeException(error ?? $"http_{(int)response.StatusCode}", description ?? "The authorization server refused the token exchange.");
            }
        }
    }

    // RFC 6749 §4.1.2.1's code for a server that cannot handle the request now.
    private const string TemporarilyUnavailable = "temporarily_unavailable";
    private string? CurrentBearerToken()
    {
        var header = httpContextAccessor.HttpContext?.Request.Headers.Authorization.ToString();
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}
