namespace McpPlatform.CollectorTenant.Store;

/// <summary>Stops the collector at start when its database role is one RLS does not bind.</summary>
internal sealed class DatabaseRoleCheck(AuditStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await store.RoleProblemAsync(cancellationToken) is { } problem)
        {
            throw new InvalidOperationException(
                $"collector-tenant refuses to start: {problem}. Connect as the app role ({McpPlatform.Core.AuditDatabaseRoles.App}) that the db-migrator creates.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
