using McpPlatform.Core;
using Microsoft.Extensions.Configuration;
using McpPlatform.Shared;

namespace McpPlatform.CollectorTenant.Data;

/// <summary>
/// The audit database's step in the db-migrator. Runs as the server admin and leaves a database
/// where the tables belong to <see cref="AuditDatabaseRoles.Owner"/> (no login), the collector
/// logs in as <see cref="AuditDatabaseRoles.App"/> (no ownership, no BYPASSRLS), and
/// <c>audit.records</c> has row-level security enabled and forced: with no tenant set in the
/// transaction, no row is visible and none can be written.
/// </summary>
internal sealed class AuditDatabaseMigration(IConfiguration configuration) : IDatabaseMigration
{
    /// <summary>Configuration key of the app role's password (the AppHost passes the parameter).</summary>
    public const string AppPasswordKey = "Audit:AppPassword";

    public string Database => InfrastructureResources.AuditDatabase;

    public Task ApplyAsync(string connectionString, CancellationToken cancellationToken) =>
        RowLevelSecurityRoles.ApplyAsync(connectionString, AuditDatabaseRoles.Owner, AuditDatabaseRoles.App,
            configuration[AppPasswordKey], AppPasswordKey, Schema, then: null, cancellationToken);

    private const string Schema = $$"""
        CREATE SCHEMA IF NOT EXISTS audit AUTHORIZATION {{AuditDatabaseRoles.Owner}};
        REVOKE ALL ON SCHEMA public FROM {{AuditDatabaseRoles.App}};

        CREATE TABLE IF NOT EXISTS audit.records (
            id               uuid PRIMARY KEY,
            -- Never empty: after a transaction-local set_config, current_setting returns '' rather
            -- than NULL in that session, and '' must match no row.
            tenant           text NOT NULL CHECK (tenant <> ''),
            audit_partition  text NOT NULL,
            occurred_at      timestamptz NOT NULL,
            received_at      timestamptz NOT NULL DEFAULT now(),
            kind             text NOT NULL,
            server           text NOT NULL,
            principal_id     text NOT NULL,
            principal_type   text NOT NULL,
            invocation_id    text NOT NULL,
            tool             text NULL,
            outcome          text NOT NULL,
            reason_code      text NULL,
            usage_tokens     bigint NOT NULL DEFAULT 0,
            usage_cost       numeric(20, 6) NOT NULL DEFAULT 0,
            duration_ms      double precision NOT NULL DEFAULT 0,
            trace_id         text NULL,
            argument_digest  text NULL,
            arguments        jsonb NULL,
            detail           jsonb NULL,
            size_bytes       integer NOT NULL
        );
        CREATE INDEX IF NOT EXISTS records_tenant_time ON audit.records (tenant, occurred_at DESC, id DESC);
        CREATE INDEX IF NOT EXISTS records_tenant_invocation ON audit.records (tenant, invocation_id);
        CREATE INDEX IF NOT EXISTS records_tenant_trace ON audit.records (tenant, trace_id) WHERE trace_id IS NOT NULL;

        -- Tenants the collector has stored records for: what the retention job walks. Ids only.
        CREATE TABLE IF NOT EXISTS audit.tenants (
            tenant      text PRIMARY KEY,
            first_seen  timestamptz NOT NULL DEFAULT now()
        );

        -- Operator grants: platform data about access, not tenant records. Each event is also
        -- written into the tenant's own trail (audit.records), where RLS applies.
        CREATE TABLE IF NOT EXISTS audit.grants (
            id                  uuid PRIMARY KEY,
            tenant              text NOT NULL,
            requested_by        text NOT NULL,
            reason              text NOT NULL,
            trace_id            text NOT NULL,
            duration_seconds    integer NOT NULL,
            requested_at        timestamptz NOT NULL,
            approved_by         text NULL,
            approved_at         timestamptz NULL,
            expires_at          timestamptz NULL
        );

        ALTER TABLE audit.records OWNER TO {{AuditDatabaseRoles.Owner}};
        ALTER TABLE audit.tenants OWNER TO {{AuditDatabaseRoles.Owner}};
        ALTER TABLE audit.grants OWNER TO {{AuditDatabaseRoles.Owner}};

        -- FORCE makes the policy bind the owner too; superusers bypass RLS, which is why the
        -- collector never connects as one (it checks at start-up and refuses to run otherwise).
        ALTER TABLE audit.records ENABLE ROW LEVEL SECURITY;
        ALTER TABLE audit.records FORCE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS tenant_isolation ON audit.records;
        CREATE POLICY tenant_isolation ON audit.records
            USING (tenant = current_setting('{{AuditDatabaseRoles.TenantSetting}}', true))
            WITH CHECK (tenant = current_setting('{{AuditDatabaseRoles.TenantSetting}}', true));

        GRANT USAGE ON SCHEMA audit TO {{AuditDatabaseRoles.App}};
        GRANT SELECT, INSERT, DELETE ON audit.records TO {{AuditDatabaseRoles.App}};
        GRANT SELECT, INSERT ON audit.tenants TO {{AuditDatabaseRoles.App}};
        GRANT SELECT, INSERT, UPDATE ON audit.grants TO {{AuditDatabaseRoles.App}};
        """;

}
