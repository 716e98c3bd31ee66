namespace McpPlatform.AppHost.Infrastructure;

/// <summary>Qdrant from a <c>qdrant</c> binary on PATH (local mode).</summary>
internal sealed class LocalQdrantResource(string name, string command, string workingDirectory, ParameterResource apiKey)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public ParameterResource ApiKey { get; } = apiKey;

    public ReferenceExpression ConnectionStringExpression => QdrantConnectionString.For(this, ApiKey);
}
