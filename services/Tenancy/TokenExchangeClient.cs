using System.Net.Http.Headers;
using System.Text.Json;
using McpPlatform.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace McpPlatform.Tenancy;

/// <summary>This server's own client registration at <c>identity</c> (configuration section <c>Identity</c>).</summary>
public sealed class ServerClientOptions
{
    /// <summary>The client id; defaults to the service's resource name.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The client secret, from an AppHost secret parameter.</summary>
    public string ClientSecret { get; set; } = string.Empty;
}

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

/// <summary>The authorization server refused a token exchange.</summary>
/// <param name="error">The OAuth error code.</param>
/// <param name="description">The server's description.</param>
public sealed class TokenExchangeException(string error, string description) : Exception($"{error}: {description}")
{
    /// <summary>The OAuth error code (e.g. <c>invalid_grant</c>, <c>unauthorized_client</c>).</summary>
    public string Error { get; } = error;
}

/// <summary>The authorization server's discovery document, fetched once and cached (a failed fetch is retried).</summary>
public sealed class DiscoveryDocument(IHttpClientFactory httpClients, IConfiguration configuration)
{
    private Task<Uri>? _tokenEndpoint;

    /// <summary>The token endpoint named in the discovery document.</summary>
    /// <param name="cancellationToken">Stops waiting (the shared fetch itself is bounded by the client's timeout).</param>
    /// <returns>The token endpoint.</returns>
    public Task<Uri> TokenEndpointAsync(CancellationToken cancellationToken)
    {
        var fetch = _tokenEndpoint;
        if (fetch is null || fetch.IsFaulted || fetch.IsCanceled)
        {
            // Two concurrent first calls may both fetch; both get the same answer.
            _tokenEndpoint = fetch = FetchAsync();
        }

        return fetch.WaitAsync(cancellationToken);
    }

    private async Task<Uri> FetchAsync()
    {
        var authority = TokenValidationExtensions.PlatformAuthority(configuration);
        using var http = httpClients.CreateClient(nameof(DiscoveryDocument));
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(authority, ".well-known/openid-configuration")));
        return new Uri(document.RootElement.GetProperty("token_endpoint").GetString()!);
    }
}

/// <summary>Registration of token exchange for MCP servers that call downstream services.</summary>
public static class TokenExchangeExtensions
{
    /// <summary>
    /// This server's own client at identity (<c>Identity:ClientId</c>, defaulting to the service's
    /// name, and <c>Identity:ClientSecret</c>) and the discovery document; registered once, shared
    /// by token exchange, the quota client and audit delivery.
    /// </summary>
    internal static void AddServerClient(this IHostApplicationBuilder builder, PlatformService service)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(DiscoveryDocument)))
        {
            return;
        }

        builder.Services.AddOptions<ServerClientOptions>()
            .Bind(builder.Configuration.GetSection("Identity"))
            .PostConfigure(options => options.ClientId = string.IsNullOrWhiteSpace(options.ClientId) ? service.ResourceName : options.ClientId)
            .Validate(options => !string.IsNullOrWhiteSpace(options.ClientSecret),
                "Identity:ClientSecret is required: this service authenticates to identity as itself (token exchange, quota, audit delivery).")
            .ValidateOnStart();
        builder.Services.AddHttpClient(nameof(DiscoveryDocument));
        builder.Services.AddSingleton<DiscoveryDocument>();
    }

    /// <summary>
    /// Registers <see cref="TokenExchangeClient"/> with this server's client credentials from the
    /// <c>Identity</c> section (<c>Identity:ClientId</c> defaults to <paramref name="service"/>'s name).
    /// </summary>
    /// <param name="builder">The service's host builder.</param>
    /// <param name="service">This service.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddTokenExchange(this IHostApplicationBuilder builder, PlatformService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        builder.AddServerClient(service);
        builder.Services.AddHttpClient<TokenExchangeClient>();
        return builder;
    }
}
