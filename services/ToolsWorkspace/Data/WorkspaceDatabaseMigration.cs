using McpPlatform.Core;
using Microsoft.Extensions.Configuration;
using McpPlatform.Shared;
using Npgsql;

namespace McpPlatform.ToolsWorkspace.Data;

/// <summary>
/// The workspace database's step in the db-migrator, built like the audit database's: runs as the
/// server admin and leaves tables that belong to <see cref="WorkspaceDatabaseRoles.Owner"/> (no
/// login), an app role <see cref="WorkspaceDatabaseRoles.App"/> that tools-workspace logs in as (no
/// ownership, no BYPASSRLS), and <c>workspace.connections</c> under forced row-level security by
/// tenant. With <c>Seed:Enabled</c> it gives each demo tenant the <c>partner</c> connection, once:
/// a tenant admin's later change or deletion stands.
/// </summary>
internal sealed class WorkspaceDatabaseMigration(IConfiguration configuration) : IDatabaseMigration
{
    /// <summary>Configuration key of the app role's password (the AppHost passes the parameter).</summary>
    public const string AppPasswordKey = "Workspace:AppPassword";

    public string Database => InfrastructureResources.WorkspaceDatabase;

    public Task ApplyAsync(string connectionString, CancellationToken cancellationToken) =>
        RowLevelSecurityRoles.ApplyAsync(connectionString, WorkspaceDatabaseRoles.Owner, WorkspaceDatabaseRoles.App,
            configuration[AppPasswordKey], AppPasswordKey, Schema, configuration.GetValue<bool>("Seed:Enabled") ? SeedAsync : null, cancellationToken);

    // Each demo tenant's connection to the partner sample, with the secret the secrets service seeds.
    private static async Task SeedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        foreach (var tenant in new[] { DemoDirectory.ContosoTenantId, DemoDirectory.FabrikamTenantId })
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO workspace.connections (tenant, name, base_url, secret_name, credential_header, credential_prefix,
                    allowed_path_prefixes, allowed_methods, updated_by)
                VALUES ($1, $2, $3, $4, 'X-Api-Key', NULL, ARRAY['/v1/'], ARRAY['GET', 'POST'], 'seed')
                ON CONFLICT (tenant, name) DO NOTHING
                """, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = tenant });
            command.Parameters.Add(new NpgsqlParameter { Value = DemoDirectory.PartnerConnectionName });
            command.Parameters.Add(new NpgsqlParameter { Value = PlatformServices.Partner.LocalOrigin });
            command.Parameters.Add(new NpgsqlParameter { Value = DemoDirectory.PartnerSecretName });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private const string Schema = $$"""
        CREATE SCHEMA IF NOT EXISTS workspace AUTHORIZATION {{WorkspaceDatabaseRoles.Owner}};
        REVOKE ALL ON SCHEMA public FROM {{WorkspaceDatabaseRoles.App}};

        CREATE TABLE IF NOT EXISTS workspace.connections (
            -- Never empty: after a transaction-local set_config, current_setting returns '' rather
            -- than NULL in that session, and '' must match no row.
            tenant                 text NOT NULL CHECK (tenant <> ''),
            name                   text NOT NULL,
            base_url               text NOT NULL,
            secret_name            text NOT NULL,
            credential_header      text NOT NULL,
            credential_prefix      text NULL,
            allowed_path_prefixes  text[] NOT NULL,
            allowed_methods        text[] NOT NULL,
            created_at             timestamptz NOT NULL DEFAULT now(),
            updated_at             timestamptz NOT NULL DEFAULT now(),
            updated_by             text NOT NULL,
            PRIMARY KEY (tenant, name)
        );
        ALTER TABLE workspace.connections OWNER TO {{WorkspaceDatabaseRoles.Owner}};

        -- FORCE makes the policy bind the owner too; superusers bypass RLS, which is why
        -- tools-workspace never connects as one (it checks at start-up and refuses to run otherwise).
        ALTER TABLE workspace.connections ENABLE ROW LEVEL SECURITY;
        ALTER TABLE workspace.connections FORCE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS tenant_isolation ON workspace.connections;
        CREATE POLICY tenant_isolation ON workspace.connections
            USING (tenant = current_setting('{{WorkspaceDatabaseRoles.TenantSetting}}', true))
            WITH CHECK (tenant = current_setting('{{WorkspaceDatabaseRoles.TenantSetting}}', true));

        GRANT USAGE ON SCHEMA workspace TO {{WorkspaceDatabaseRoles.App}};
        GRANT SELECT, INSERT, UPDATE, DELETE ON workspace.connections TO {{WorkspaceDatabaseRoles.App}};
        """;
}
