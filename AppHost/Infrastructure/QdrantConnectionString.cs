namespace McpPlatform.AppHost.Infrastructure;

internal static class QdrantConnectionString
{
    // gRPC for Qdrant.Client, HTTP for health and REST; the key is the operator key used only
    // by the privileged onboarding path and to sign collection-scoped JWTs (issue on RAG).
    public static ReferenceExpression For(IResourceWithEndpoints resource, ParameterResource apiKey)
    {
        var grpc = new EndpointReference(resource, QdrantContainerResource.GrpcEndpointName);
        var http = new EndpointReference(resource, QdrantContainerResource.HttpEndpointName);
        return ReferenceExpression.Create($"Endpoint={grpc.Property(EndpointProperty.Url)};HttpEndpoint={http.Property(EndpointProperty.Url)};Key={apiKey}");
    }
}
