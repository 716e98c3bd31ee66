using McpPlatform.Core;
using Microsoft.Extensions.Configuration;

namespace McpPlatform.AppHost.Infrastructure;

/// <summary>
/// Real Qdrant in local mode when it can be had: a configured endpoint
/// (<c>ConnectionStrings:qdrant</c>) or a <c>qdrant</c> binary on PATH. Otherwise null, and
/// tools-knowledge uses its embedded store behind the same interface.
/// </summary>
internal static class LocalQdrant
{
    public static IResourceBuilder<IResourceWithConnectionString>? TryAdd(IDistributedApplicationBuilder builder, string dataRoot)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(InfrastructureResources.Qdrant)))
        {
            return builder.AddConnectionString(InfrastructureResources.Qdrant);
        }

        var binary = LocalMachine.FindOnPath("qdrant");
        if (binary is null)
        {
            return null;
        }

        var storage = Path.Combine(dataRoot, "qdrant");
        Directory.CreateDirectory(storage);
        var apiKey = builder.AddParameter("qdrant-api-key",
            LocalMachine.ReadOrCreateSecret(Path.Combine(dataRoot, "qdrant.apikey")), secret: true);
        var httpPort = LocalMachine.FreeLoopbackPort();
        var grpcPort = LocalMachine.FreeLoopbackPort();

        var qdrant = builder.AddResource(new LocalQdrantResource(InfrastructureResources.Qdrant, binary, storage, apiKey.Resource))
            .WithEnvironment("QDRANT__SERVICE__HOST", "127.0.0.1")
            .WithEnvironment("QDRANT__SERVICE__HTTP_PORT", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("QDRANT__SERVICE__GRPC_PORT", grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("QDRANT__SERVICE__API_KEY", apiKey)
            .WithEnvironment("QDRANT__SERVICE__JWT_RBAC", "true")
            .WithEnvironment("QDRANT__STORAGE__STORAGE_PATH", storage)
            .WithEnvironment("QDRANT__TELEMETRY_DISABLED", "true")
            .WithEndpoint(port: httpPort, targetPort: httpPort, scheme: "http", name: QdrantContainerResource.HttpEndpointName, isProxied: false)
            .WithEndpoint(port: grpcPort, targetPort: grpcPort, scheme: "http", name: QdrantContainerResource.GrpcEndpointName, isProxied: false)
            .WithHttpHealthCheck("/readyz", endpointName: QdrantContainerResource.HttpEndpointName)
            .ExcludeFromManifest();
        return builder.CreateResourceBuilder<IResourceWithConnectionString>(qdrant.Resource);
    }
}
