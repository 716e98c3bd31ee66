namespace McpPlatform.AppHost.Infrastructure;

/// <summary>PostgreSQL run from the machine's binaries; exposes the same connection string shape as Aspire's container integration.</summary>
internal sealed class LocalPostgresServerResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    public ParameterResource Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username=postgres;Password={Password}");
}

/// <summary>A database on the local PostgreSQL server. The migrator creates it; this resource only names it.</summary>
internal sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresServerResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    public LocalPostgresServerResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}

/// <summary>redis-server run from the machine's binary; same connection string shape as Aspire's Redis integration.</summary>
internal sealed class LocalRedisResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    public ParameterResource Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)},password={Password}");
}

/// <summary>Qdrant as a container (containers mode and every published manifest).</summary>
internal sealed class QdrantContainerResource(string name, ParameterResource apiKey)
    : ContainerResource(name), IResourceWithConnectionString
{
    public const string GrpcEndpointName = "grpc";
    public const string HttpEndpointName = "http";

    public ParameterResource ApiKey { get; } = apiKey;

    public ReferenceExpression ConnectionStringExpression => QdrantConnectionString.For(this, ApiKey);
}

/// <summary>Qdrant from a <c>qdrant</c> binary on PATH (local mode).</summary>
internal sealed class LocalQdrantResource(string name, string command, string workingDirectory, ParameterResource apiKey)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public ParameterResource ApiKey { get; } = apiKey;

    public ReferenceExpression ConnectionStringExpression => QdrantConnectionString.For(this, ApiKey);
}

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
