using System.Text.Json;
using McpPlatform.Core;
using McpPlatform.ServiceClients;
using Microsoft.Extensions.Options;

namespace McpPlatform.ToolsKnowledge.Downstream;

/// <summary>Calls the sample downstream API with an exchanged token, never the caller's own.</summary>
public sealed class DownstreamClient(HttpClient http, TokenExchangeClient exchange, IOptions<DownstreamOptions> options)
{
    /// <summary>Echoes a message through the downstream API on behalf of the current caller.</summary>
    /// <param name="tenant">The current call's context.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The downstream API's record of the call, as JSON.</returns>
    public async Task<JsonElement> EchoAsync(TenantContext tenant, string message, CancellationToken cancellationToken)
    {
        var token = await exchange.ExchangeAsync(tenant, options.Value.Audience, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/echo")
        {
            Content = JsonContent.Create(new { message }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The downstream API answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }
}
