using McpPlatform.Core;
using Npgsql;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>Row-level security at the SQL level: a raw session as the collector's app role.</summary>
public sealed class TenantAuditRlsTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppRoleSession_NoTenantSeesNothing_TenantSetSeesOnlyItsOwn_CannotWriteAnotherTenantsRow()
    {
        await platform.WaitForHealthyAsync(PlatformServices.CollectorTenant.ResourceName);
        var marker = $"rls-{Guid.NewGuid():N}";
        await using var session = await AuditClient.AppRoleSessionAsync(platform, Cancel);

        await InsertAsync(session, DemoDirectory.ContosoTenantId, marker);
        await InsertAsync(session, DemoDirectory.FabrikamTenantId, marker);

        // No tenant set: the policy compares with NULL, so nothing is visible; not even a count leaks.
        (await TenantsVisibleAsync(session, tenant: null, marker)).ShouldBeEmpty();
        (await TenantsVisibleAsync(session, DemoDirectory.ContosoTenantId, marker)).ShouldBe([DemoDirectory.ContosoTenantId]);
        (await TenantsVisibleAsync(session, DemoDirectory.FabrikamTenantId, marker)).ShouldBe([DemoDirectory.FabrikamTenantId]);

        // The setting is transaction-local: after the transaction above, this session has none again.
        await using (var plain = new NpgsqlCommand("SELECT count(*) FROM audit.records", session))
        {
            ((long)(await plain.ExecuteScalarAsync(Cancel))!).ShouldBe(0);
        }

        // WITH CHECK: with contoso set, a fabrikam row cannot be written.
        var refused = await Should.ThrowAsync<PostgresException>(() => InsertAsync(session, DemoDirectory.FabrikamTenantId, marker, setTenant: DemoDirectory.ContosoTenantId));
        refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);

        // And the app role cannot switch the policy off or change the table.
        var disable = await Should.ThrowAsync<PostgresException>(async () =>
        {
            await using var command = new NpgsqlCommand("ALTER TABLE audit.records DISABLE ROW LEVEL SECURITY", session);
            await command.ExecuteNonQueryAsync(Cancel);
        });
        disable.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
    }

    private static async Task InsertAsync(NpgsqlConnection session, string tenant, string marker, string? setTenant = null)
    {
        await using var transaction = await session.BeginTransactionAsync(Cancel);
        await SetTenantAsync(session, transaction, setTenant ?? tenant);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO audit.records (id, tenant, audit_partition, occurred_at, kind, server, principal_id, principal_type,
                                       invocation_id, outcome, size_bytes)
            VALUES ($1, $2, $2, now(), 'tool_call', 'test', 'p', 'agent', $3, 'success', 1)
            """, session, transaction);
        insert.Parameters.Add(new() { Value = Guid.CreateVersion7() });
        insert.Parameters.Add(new() { Value = tenant });
        insert.Parameters.Add(new() { Value = marker });
        await insert.ExecuteNonQueryAsync(Cancel);
        await transaction.CommitAsync(Cancel);
    }

    private static async Task<List<string>> TenantsVisibleAsync(NpgsqlConnection session, string? tenant, string marker)
    {
        await using var transaction = await session.BeginTransactionAsync(Cancel);
        if (tenant is not null)
        {
            await SetTenantAsync(session, transaction, tenant);
        }

        // No tenant filter in the query: only the policy decides what comes back.
        await using var select = new NpgsqlCommand("SELECT tenant FROM audit.records WHERE invocation_id = $1", session, transaction);
        select.Parameters.Add(new() { Value = marker });
        var tenants = new List<string>();
        await using (var reader = await select.ExecuteReaderAsync(Cancel))
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
        await using var set = new NpgsqlCommand($"SELECT set_config('{AuditDatabaseRoles.TenantSetting}', $1, true)", session, transaction);
        set.Parameters.Add(new() { Value = tenant });
        await set.ExecuteNonQueryAsync(Cancel);
    }
}
