using McpPlatform.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpPlatform.AppHost.Infrastructure;

/// <summary>Adds PostgreSQL, Redis and the vector store in the chosen mode.</summary>
public static class PlatformInfrastructureExtensions
{
    /// <summary>The pinned Qdrant image tag (container mode and manifests).</summary>
    public const string QdrantImageTag = "v1.16.0";

    /// <summary>
    /// Chooses the mode (<see cref="InfrastructureModeSelector"/>), declares the infrastructure
    /// resources, and logs the choice when the app starts.
    /// </summary>
    /// <param name="builder">The AppHost builder.</param>
    /// <param name="probe">How to ask for a container engine; the default asks Docker and Podman.</param>
    /// <returns>The declared infrastructure.</returns>
    public static PlatformInfrastructure AddPlatformInfrastructure(
        this IDistributedApplicationBuilder builder, IContainerEngineProbe? probe = null)
    {
        var choice = InfrastructureModeSelector.Select(
            builder.Configuration[InfrastructureModeSelector.SettingKey],
            builder.ExecutionContext.IsPublishMode,
            probe ?? new ContainerEngineProbe());

        var infrastructure = choice.Mode == InfrastructureMode.Containers
            ? AddContainers(builder, choice)
            : AddLocal(builder, choice);

        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("McpPlatform.AppHost");
            logger.LogInformation("Infrastructure mode: {Mode} ({Reason}). Vector store: {VectorStore}.",
                choice.Mode, choice.Reason,
                infrastructure.Qdrant is null ? "embedded in tools-knowledge (no Qdrant binary or endpoint)" : "Qdrant");
            return Task.CompletedTask;
        });

        return infrastructure;
    }

    private static PlatformInfrastructure AddContainers(IDistributedApplicationBuilder builder, InfrastructureChoice choice)
    {
        var postgres = builder.AddPostgres(InfrastructureResources.Postgres)
            .WithDataVolume()
            .WithLifetime(ContainerLifetime.Persistent);
        var databases = InfrastructureResources.Databases.ToDictionary(
            name => name,
            name => AsConnectionString(builder, postgres.AddDatabase(name).Resource));

        var redis = builder.AddRedis(InfrastructureResources.Redis)
            .WithDataVolume()
            .WithLifetime(ContainerLifetime.Persistent);

        var apiKey = builder.AddParameter("qdrant-api-key", secret: true);
        var qdrant = builder.AddResource(new QdrantContainerResource(InfrastructureResources.Qdrant, apiKey.Resource))
            .WithImage("qdrant/qdrant", QdrantImageTag)
            .WithImageRegistry("docker.io")
            .WithHttpEndpoint(targetPort: 6333, name: QdrantContainerResource.HttpEndpointName)
            .WithEndpoint(targetPort: 6334, name: QdrantContainerResource.GrpcEndpointName, scheme: "http")
            .WithEnvironment("QDRANT__SERVICE__API_KEY", apiKey)
            .WithEnvironment("QDRANT__SERVICE__JWT_RBAC", "true")
            .WithEnvironment("QDRANT__TELEMETRY_DISABLED", "true")
            .WithVolume("mcpplatform-qdrant", "/qdrant/storage")
            .WithHttpHealthCheck("/readyz", endpointName: QdrantContainerResource.HttpEndpointName)
            .WithLifetime(ContainerLifetime.Persistent);

        return new(choice, AsConnectionString(builder, postgres.Resource), databases,
            AsConnectionString(builder, redis.Resource), AsConnectionString(builder, qdrant.Resource));
    }

    private static PlatformInfrastructure AddLocal(IDistributedApplicationBuilder builder, InfrastructureChoice choice)
    {
        var dataRoot = LocalDataFolder.Resolve(builder);

        var postgres = LocalPostgres.Add(builder, dataRoot);
        var databases = InfrastructureResources.Databases.ToDictionary(
            name => name,
            name => AsConnectionString(builder, builder.AddResource(new LocalPostgresDatabaseResource(name, name, postgres.Resource))
                .WithParentRelationship(postgres)
                .WithInitialState(new CustomResourceSnapshot
                {
                    ResourceType = "PostgresDatabase",
                    State = KnownResourceStates.Running,
                    Properties = [],
                }).Resource));

        var redis = LocalRedis.Add(builder, dataRoot);
        var qdrant = LocalQdrant.TryAdd(builder, dataRoot);

        return new(choice, AsConnectionString(builder, postgres.Resource), databases,
            AsConnectionString(builder, redis.Resource), qdrant)
        {
            LocalDataRoot = dataRoot,
        };
    }

    private static IResourceBuilder<IResourceWithConnectionString> AsConnectionString(
        IDistributedApplicationBuilder builder, IResourceWithConnectionString resource) =>
        builder.CreateResourceBuilder(resource);
}
