using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.ServiceClients;

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
