namespace McpPlatform.Knowledge.Store;

/// <summary>
/// Where the request path gets the Qdrant token for a partition's collection. Implementations
/// must return a token scoped to that one collection (never the global key) and may cache it.
/// </summary>
public interface IQdrantCollectionTokenSource
{
    /// <summary>A valid collection-scoped token for <paramref name="collection"/>.</summary>
    /// <param name="collection">A knowledge collection name.</param>
    /// <param name="cancellationToken">Cancels fetching.</param>
    /// <returns>The token, valid for at least a little while longer.</returns>
    ValueTask<QdrantCollectionToken> GetTokenAsync(string collection, CancellationToken cancellationToken = default);
}
