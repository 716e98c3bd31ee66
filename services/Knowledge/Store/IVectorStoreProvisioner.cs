namespace McpPlatform.Knowledge.Store;

/// <summary>
/// Privileged onboarding step: creates (and removes) a partition's storage. Never called on the
/// request path: the Qdrant implementation uses the global API key, which request-path clients
/// never hold. The embedded store also creates a partition on first open (it has no privilege
/// boundary to protect), so provisioning it is optional.
/// </summary>
public interface IVectorStoreProvisioner
{
    /// <summary>Creates the partition's storage if it does not exist. Idempotent.</summary>
    /// <param name="dataPartition">The data partition (from the directory, never from a tool argument).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when it was created now, false when it already existed.</returns>
    Task<bool> ProvisionAsync(string dataPartition, CancellationToken cancellationToken = default);

    /// <summary>Deletes the partition's storage and all its data (tenant offboarding). Idempotent.</summary>
    /// <param name="dataPartition">The data partition.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when something was deleted.</returns>
    Task<bool> DeprovisionAsync(string dataPartition, CancellationToken cancellationToken = default);
}
