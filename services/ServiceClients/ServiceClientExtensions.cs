using McpPlatform.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace McpPlatform.ServiceClients;

/// <summary>Registration of token exchange for MCP servers that call downstream services.</summary>
public static class ServiceClientExtensions
{
    /// <summary>
    /// This server's own client at identity (<c>Identity:ClientId</c>, defaulting to the service's
    /// name, and <c>Identity:ClientSecret</c>) and the discovery document; registered once, shared
    /// by token exchange, the quota client and audit delivery.
    /// </summary>
    public static void AddServerClient(this IHostApplicationBuilder builder, PlatformService service)
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
        // A tool call waits for the exchange: identity down must become a prompt tool error
        // (identity.unavailable), not the shared defaults' 30 s of retries and breaker.
        var exchange = builder.Services.AddHttpClient<TokenExchangeClient>();
#pragma warning disable EXTEXP0001
        exchange.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        exchange.AddResilienceHandler("token-exchange", pipeline => pipeline
            .AddTimeout(TokenExchangeClient.TotalTimeout)
            .AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(100), BackoffType = DelayBackoffType.Exponential, UseJitter = true })
            .AddTimeout(TokenExchangeClient.AttemptTimeout));
        return builder;
    }
}
