namespace McpPlatform.AppHost.Infrastructure;

/// <summary>Qdrant as a container (containers mode and every published manifest).</summary>
internal sealed class QdrantContainerResource(string name, ParameterResource apiKey)
    : ContainerResource(name), IResourceWithConnectionString
{
    public const string GrpcEndpointName = "grpc";
    public const string HttpEndpointName = "http";

    public ParameterResource ApiKey { get; } = apiKey;

    public ReferenceExpression ConnectionStringExpression => QdrantConnectionString.For(this, ApiKey);
}
