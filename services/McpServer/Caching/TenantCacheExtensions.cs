using McpPlatform.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpPlatform.McpServer.Caching;

/// <summary>Registration of the tenant-scoped cache.</summary>
public static class TenantCacheExtensions
{
    /// <summary>
    /// Adds <see cref="ITenantCacheFactory"/>: a HybridCache (memory, then Redis at
    /// <c>ConnectionStrings:redis</c> under its own key prefix) that services reach only through
    /// <see cref="ITenantCacheFactory.ForTenant"/>. HybridCache, IMemoryCache and IDistributedCache are
    /// deliberately not registered in the application's container. Options: section
    /// <c>TenantCache</c> (<c>TenantCache:KeySecret</c> required), validated when the host starts.
    /// </summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="InvalidOperationException"><c>ConnectionStrings:redis</c> is missing.</exception>
    public static IHostApplicationBuilder AddTenantScopedCache(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = builder.Configuration.GetConnectionString(InfrastructureResources.Redis);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{InfrastructureResources.Redis} is required: the tenant cache keeps its shared tier and invalidations in Redis.");
        }

        builder.Services.AddOptions<TenantCacheOptions>()
            .Bind(builder.Configuration.GetSection(TenantCacheOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TenantCacheOptions>, TenantCacheOptionsValidator>();
        builder.Services.AddSingleton<ITenantCacheFactory>(services => new TenantCacheFactory(
            connectionString,
            services.GetRequiredService<IOptions<TenantCacheOptions>>(),
            services.GetRequiredService<ILoggerFactory>()));
        return builder;
    }
}
