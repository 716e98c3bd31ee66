namespace McpPlatform.Secrets.Store;

/// <summary>The answer of <see cref="ISecretStore.ReadAsync"/>.</summary>
/// <param name="Metadata">The secret, or null when the tenant has none of that name.</param>
/// <param name="Value">The decrypted value, only when the access rule allowed it; the caller disposes it.</param>
public sealed record SecretRead(SecretMetadata? Metadata, SecretPlaintext? Value);
