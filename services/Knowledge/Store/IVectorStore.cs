
using McpPlatform.Core;

namespace McpPlatform.Knowledge.Store;

/// <summary>
/// A vector store partitioned per tenant data partition. The only way to read or write data is a
/// <see cref="ITenantVectorScope"/> opened from a <see cref="TenantContext"/>: no member takes a
/// tenant id, partition, directory or collection name, so a caller cannot address another
/// tenant's data by passing the wrong string.
/// </summary>
public interface IVectorStore
{
    /// <summary>Length of every vector this store accepts (384 for all-MiniLM-L6-v2).</summary>
    int Dimensions { get; }

    /// <summary>Opens the scope bound to <see cref="TenantContext.DataPartition"/>.</summary>
    /// <param name="tenant">The caller's context, built from its validated token.</param>
    /// <param name="cancellationToken">Cancels opening (loading a partition, fetching a Qdrant token).</param>
    /// <returns>A scope that reads and writes that partition only.</returns>
    /// <exception cref="KnowledgeStoreException">The partition cannot be opened (not provisioned, unavailable, corrupt).</exception>
    ValueTask<ITenantVectorScope> OpenAsync(TenantContext tenant, CancellationToken cancellationToken = default);
}
