using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;
using Npgsql;

namespace McpPlatform.AppHost.Tests.Workspace;

/// <summary>Row-level security on the workspace database at the SQL level: a raw session as tools-workspace's app role.</summary>
public sealed class WorkspaceRlsTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppRoleSession_NoTenantSeesNothing_TenantSetSeesOnlyItsOwn_CannotWriteAnotherTenantsRow()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsWorkspace.ResourceName);
        await using var session = await AppRoleSessionAsync();

        // No tenant set: nothing visible, not even the seeded rows.
        await using (var plain = new NpgsqlCommand("SELECT count(*) FROM workspace.connections", session))
        {
            ((long)(await plain.ExecuteScalarAsync(Cancel))!).ShouldBe(0);
        }

        (await TenantsVisibleAsync(session, DemoDirectory.ContosoTenantId)).ShouldBe([DemoDirectory.ContosoTenantId]);
        (await TenantsVisibleAsync(session, DemoDirectory.FabrikamTenantId)).ShouldBe([DemoDirectory.FabrikamTenantId]);

        // WITH CHECK: with contoso set, a fabrikam row cannot be written.
        var refused = await Should.ThrowAsync<PostgresException>(async () =>
        {
            await using var transaction = await session.BeginTransactionAsync(Cancel);
            await SetTenantAsync(session, transaction, DemoDirectory.ContosoTenantId);
            await using var insert = new NpgsqlCommand("""
                INSERT INTO workspace.connections (tenant, name, base_url, secret_name, credential_header, allowed_path_prefixes, allowed_methods, updated_by)
                VALUES ($1, 'rls-probe', 'http://localhost:1', 's', 'X-Api-Key', ARRAY['/'], ARRAY['GET'], 'test')
                """, session, transaction);
            insert.Parameters.Add(new() { Value = DemoDirectory.FabrikamTenantId });
            await insert.ExecuteNonQueryAsync(Cancel);
        });
        refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);

        // And the app role cannot switch the policy off.
        var disable = await Should.ThrowAsync<PostgresException>(async () =>
        {
            await using var command = new NpgsqlCommand("ALTER TABLE workspace.connections DISABLE ROW LEVEL SECURITY", session);
            await command.ExecuteNonQueryAsync(Cancel);
        });
        disable.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
    }

    private async Task<NpgsqlConnection> AppRoleSessionAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(await platform.ConnectionStringAsync(InfrastructureResources.WorkspaceDatabase))
        {
            Username = WorkspaceDatabaseRoles.App,
            Password = DemoSecrets.Get(WorkspaceDatabaseRoles.AppPasswordParameter),
            Pooling = false,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(Cancel);
        return connection;
    }

    private static async Task<List<string>> TenantsVisibleAsync(NpgsqlConnection session, string tenant)
    {
        await using var transaction = await session.BeginTransactionAsync(Cancel);
        await SetTenantAsync(session, transaction, tenant);
        await using var command = new NpgsqlCommand("SELECT DISTINCT tenant FROM workspace.connections", session, transaction);
        var tenants = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(Cancel))
        {
            while (await reader.ReadAsync(Cancel))
            {
                tenants.Add(reader.GetString(0));
            }
        }

        await transaction.CommitAsync(Cancel);
        return tenants;
    }

    private static async Task SetTenantAsync(NpgsqlConnection session, NpgsqlTransaction transaction, string tenant)
    {
        await using var command = new NpgsqlCommand($"SELECT set_config('{WorkspaceDatabaseRoles.TenantSetting}', $1, true)", session, transaction);
        command.Parameters.Add(new() { Value = tenant });
        await command.ExecuteNonQueryAsync(Cancel);
    }
}
