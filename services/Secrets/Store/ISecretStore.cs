namespace McpPlatform.Secrets.Store;

/// <summary>
/// Where a tenant's secrets live: the production-store seam (docs/secrets.md). Every method names
/// the tenant explicitly, and the API passes the tenant from the validated token only. The access
/// rules (who may write, which server and tool may read) are the API's and stay in front of any
/// store: a store keeps values confidential at rest and returns them only through
/// <see cref="ReadAsync"/>. <see cref="PostgresSecretStore"/> is the implementation used here
/// (envelope encryption, row-level security); a managed vault would implement the same interface.
/// </summary>
public interface ISecretStore
{
    /// <summary>The tenant's secrets, by name.</summary>
    Task<IReadOnlyList<SecretMetadata>> ListAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>One secret, or null.</summary>
    Task<SecretMetadata?> GetAsync(string tenant, string name, CancellationToken cancellationToken);

    /// <summary>Creates a secret at version 1; null when the tenant already has one of that name.</summary>
    Task<SecretMetadata?> CreateAsync(string tenant, NewSecret secret, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the value in place (version + 1); the previous ciphertext is not kept. Null when
    /// the tenant has no secret of that name. The caller zeroes <paramref name="value"/>.
    /// </summary>
    Task<SecretMetadata?> RotateAsync(string tenant, string name, byte[] value, string rotatedBy, CancellationToken cancellationToken);

    /// <summary>Deletes a secret; false when there was none.</summary>
    Task<bool> DeleteAsync(string tenant, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Looks the secret up and decrypts its value only when <paramref name="mayRead"/> allows it
    /// (a refused read never decrypts anything).
    /// </summary>
    Task<SecretRead> ReadAsync(string tenant, string name, Func<SecretMetadata, bool> mayRead, CancellationToken cancellationToken);
}
