namespace McpPlatform.AppHost;

/// <summary>How an MCP server using the tenant-scoped cache gets its key secret.</summary>
internal static class TenantCacheWiring
{
    /// <summary>AppHost parameter holding the secret the cache's Redis key names are derived from (dev default in appsettings.Development.json).</summary>
    public const string KeySecretParameter = "tenant-cache-key-secret";

    /// <summary>Sets <c>TenantCache:KeySecret</c> from a secret parameter (one per AppHost, shared by all instances).</summary>
    public static IResourceBuilder<ProjectResource> WithTenantCache(
        this IResourceBuilder<ProjectResource> service, IDistributedApplicationBuilder builder)
    {
        var keySecret = builder.Resources.OfType<ParameterResource>().FirstOrDefault(parameter => parameter.Name == KeySecretParameter) is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddParameter(KeySecretParameter, secret: true);
        return service.WithEnvironment("TenantCache__KeySecret", keySecret);
    }
}
