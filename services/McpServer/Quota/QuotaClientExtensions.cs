using McpPlatform.Core;
using McpPlatform.Core.Quota;
using McpPlatform.ServiceClients;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace McpPlatform.McpServer.Quota;

/// <summary>Registration of the quota client for MCP servers.</summary>
public static class QuotaClientExtensions
{
    /// <summary>
    /// Registers <see cref="QuotaClient"/>: a typed HttpClient to <c>quota</c> (service discovery
    /// name by default, <c>Quota:BaseAddress</c> to override) bounded by <c>Quota:Timeout</c>
    /// without retries (admission is not idempotent and must not hang), and the service token
    /// fetched with this server's client credentials (<c>Identity:ClientId</c>/<c>Identity:ClientSecret</c>).
    /// </summary>
    /// <param name="builder">The MCP server's host builder.</param>
    /// <param name="service">This service (its resource name is the default client id).</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddQuotaClient(this IHostApplicationBuilder builder, PlatformService service)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(service);
        builder.AddServerClient(service);
        builder.Services.AddOptions<QuotaClientOptions>().Bind(builder.Configuration.GetSection(QuotaClientOptions.SectionName));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient(QuotaServiceToken.HttpClientName);
        builder.Services.TryAddSingleton<QuotaServiceToken>();
        var quotaHttp = builder.Services.AddHttpClient<QuotaClient>((services, http) =>
        {
            var options = services.GetRequiredService<IOptions<QuotaClientOptions>>().Value;
            http.BaseAddress = options.BaseAddress;
            http.Timeout = options.Timeout;
        });

        // The shared defaults retry 429/5xx and hedge; a retried admit could take a second
        // slot, and retries would stretch a fail-closed answer into a hang. The API is marked
        // experimental; it is the documented way to opt one client out of the defaults.
#pragma warning disable EXTEXP0001
        quotaHttp.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.TryAddTransient<IQuotaAdmission>(services => services.GetRequiredService<QuotaClient>());
        return builder;
    }
}
