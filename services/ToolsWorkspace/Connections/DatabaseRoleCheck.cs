namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>Stops tools-workspace at start when its database role is one RLS does not bind.</summary>
internal sealed class DatabaseRoleCheck(ConnectionStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await store.RoleProblemAsync(cancellationToken) is { } problem)
        {
            throw new InvalidOperationException(
                $"tools-workspace refuses to start: {problem}. Connect as the app role ({McpPlatform.Core.WorkspaceDatabaseRoles.App}) that the db-migrator creates.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
