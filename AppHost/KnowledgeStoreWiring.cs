using McpPlatform.AppHost.Infrastructure;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.AppHost;

/// <summary>How tools-knowledge gets its vector store, partition key secret and demo seed.</summary>
internal static class KnowledgeStoreWiring
{
    /// <summary>AppHost parameter holding the secret tenant storage names are derived from (dev default in appsettings.Development.json).</summary>
    public const string PartitionKeySecretParameter = "knowledge-partition-key-secret";

    /// <summary>
    /// Sets <c>Knowledge:Store</c>: the provider the infrastructure chose; in local mode the embedded
    /// store's folder under the local data folder (so knowledge survives restarts like PostgreSQL
    /// and Redis data); the partition key secret from a secret parameter; the Qdrant connection when
    /// Qdrant runs. In Development the service's onboarding step seeds the demo corpus.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithKnowledgeStore(
        this IResourceBuilder<ProjectResource> service, IDistributedApplicationBuilder builder, PlatformInfrastructure infrastructure)
    {
        var partitionKeySecret = builder.AddParameter(PartitionKeySecretParameter, secret: true);
        service.WithEnvironment("Knowledge__Store__Provider", infrastructure.VectorStoreProvider)
            .WithEnvironment("Knowledge__Store__PartitionKeySecret", partitionKeySecret)
            .WithEnvironment("Seed__Enabled", builder.Environment.IsDevelopment() ? "true" : "false");

        if (infrastructure.Qdrant is { } qdrant)
        {
            service.WithReference(qdrant).WaitFor(qdrant);
        }
        else if (infrastructure.LocalDataRoot is { } dataRoot)
        {
            service.WithEnvironment("Knowledge__Store__Path", Path.Combine(dataRoot, "knowledge"));
        }

        return service;
    }
}
