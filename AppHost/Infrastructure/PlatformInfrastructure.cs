using McpPlatform.Core;

namespace McpPlatform.AppHost.Infrastructure;

/// <summary>
/// The infrastructure every service references. Services receive connection strings through
/// <c>WithReference</c> the same way in both modes, so no service knows which mode it runs in.
/// </summary>
/// <param name="Choice">The mode and why it was chosen.</param>
/// <param name="Postgres">The PostgreSQL server (the migrator's maintenance connection).</param>
/// <param name="Databases">Application databases by name (<see cref="InfrastructureResources.Databases"/>).</param>
/// <param name="Redis">Redis: quota state and the distributed cache tier.</param>
/// <param name="Qdrant">Qdrant when it runs (container, binary or configured endpoint); null means the embedded store.</param>
public sealed record PlatformInfrastructure(
    InfrastructureChoice Choice,
    IResourceBuilder<IResourceWithConnectionString> Postgres,
    IReadOnlyDictionary<string, IResourceBuilder<IResourceWithConnectionString>> Databases,
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<IResourceWithConnectionString>? Qdrant)
{
    /// <summary>Setting the vector store reads: <c>qdrant</c> or <c>embedded</c>.</summary>
    public string VectorStoreProvider => Qdrant is null ? "embedded" : "qdrant";

    /// <summary>Local mode's data folder (persistent across restarts); null in containers mode.</summary>
    public string? LocalDataRoot { get; init; }
}
