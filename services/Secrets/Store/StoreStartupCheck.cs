using McpPlatform.Core;

namespace McpPlatform.Secrets.Store;

/// <summary>
/// Stops the service at start when its database role is one RLS does not bind, or when its
/// key-encryption key is not the one the stored data keys were wrapped with.
/// </summary>
internal sealed class StoreStartupCheck(PostgresSecretStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await store.RoleProblemAsync(cancellationToken) is { } role)
        {
            throw new InvalidOperationException(
                $"secrets refuses to start: {role}. Connect as the app role ({SecretsDatabaseRoles.App}) that the db-migrator creates.");
        }

        if (await store.KeyEncryptionKeyProblemAsync(cancellationToken) is { } key)
        {
            throw new InvalidOperationException(
                $"secrets refuses to start: {key}. Check the AppHost parameter {SecretsDatabaseRoles.KeyEncryptionKeyParameter} (KEK rotation is described in docs/secrets.md).");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
