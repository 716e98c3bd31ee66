using McpPlatform.Core;

namespace McpPlatform.McpServer.Caching;

/// <summary>Hands out <see cref="ITenantCache"/> for a tenant. Singleton; the only cache services may inject.</summary>
public interface ITenantCacheFactory
{
    /// <summary>The cache of <paramref name="tenant"/>'s data partition (<see cref="TenantContext.DataPartition"/>).</summary>
    /// <param name="tenant">The current call's tenant context.</param>
    /// <returns>A cheap, stateless handle; safe to use from several threads.</returns>
    ITenantCache ForTenant(TenantContext tenant);
}
