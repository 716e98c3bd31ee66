using McpPlatform.Core;
using Microsoft.Extensions.Configuration;
using McpPlatform.Shared;

namespace McpPlatform.Secrets.Data;

/// <summary>
/// The secrets database's step in the db-migrator. Runs as the server admin and leaves a database
/// where the tables belong to <see cref="SecretsDatabaseRoles.Owner"/> (no login), the service logs
/// in as <see cref="SecretsDatabaseRoles.App"/> (no ownership, no BYPASSRLS), and the tenant tables
/// have row-level security enabled and forced: with no tenant set in the transaction, no row is
/// visible and none can be written. The migrator never sees the key-encryption key: it creates
/// tables, not values.
/// </summary>
internal sealed class SecretsDatabaseMigration(IConfiguration configuration) : IDatabaseMigration
{
    /// <summary>Configuration key of the app role's password (the AppHost passes the parameter).</summary>
    public const string AppPasswordKey = "Secrets:AppPassword";

    public string Database => InfrastructureResources.SecretsDatabase;

    public Task ApplyAsync(string connectionString, CancellationToken cancellationToken) =>
        RowLevelSecurityRoles.ApplyAsync(connectionString, SecretsDatabaseRoles.Owner, SecretsDatabaseRoles.App,
            configuration[AppPasswordKey], AppPasswordKey, Schema, then: null, cancellationToken);

    private const string Schema = $$"""
        CREATE SCHEMA IF NOT EXISTS secrets AUTHORIZATION {{SecretsDatabaseRoles.Owner}};
        REVOKE ALL ON SCHEMA public FROM {{SecretsDatabaseRoles.App}};

        -- The key-encryption keys that have wrapped data keys here, by id (a fingerprint, never the
        -- key). The service refuses to start with a KEK whose id is not listed once any is: a wrong
        -- parameter is a start-up error, not a stream of failed reads. Not tenant data: no RLS.
        CREATE TABLE IF NOT EXISTS secrets.key_encryption_keys (
            id          text PRIMARY KEY,
            first_used  timestamptz NOT NULL DEFAULT now()
        );

        -- One random 256-bit data key per tenant (and version), wrapped with AES-GCM by the KEK
        -- named in kek_id: nonce (12) || ciphertext (32) || tag (16).
        CREATE TABLE IF NOT EXISTS secrets.data_keys (
            tenant       text NOT NULL CHECK (tenant <> ''),
            version      integer NOT NULL CHECK (version >= 1),
            kek_id       text NOT NULL,
            wrapped_key  bytea NOT NULL,
            created_at   timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (tenant, version)
        );

        -- Values encrypted with the tenant's data key (AES-GCM, a fresh nonce per write; the
        -- associated data binds tenant, name and version). Rotation updates the row in place: no
        -- history rows, the previous ciphertext is not kept.
        CREATE TABLE IF NOT EXISTS secrets.secrets (
            tenant            text NOT NULL CHECK (tenant <> ''),
            name              text NOT NULL,
            version           integer NOT NULL CHECK (version >= 1),
            data_key_version  integer NOT NULL,
            nonce             bytea NOT NULL,
            ciphertext        bytea NOT NULL,
            allowed_servers   text[] NOT NULL,
            allowed_tools     text[] NOT NULL,
            created_at        timestamptz NOT NULL,
            created_by        text NOT NULL,
            rotated_at        timestamptz NULL,
            rotated_by        text NULL,
            PRIMARY KEY (tenant, name),
            FOREIGN KEY (tenant, data_key_version) REFERENCES secrets.data_keys (tenant, version)
        );

        ALTER TABLE secrets.key_encryption_keys OWNER TO {{SecretsDatabaseRoles.Owner}};
        ALTER TABLE secrets.data_keys OWNER TO {{SecretsDatabaseRoles.Owner}};
        ALTER TABLE secrets.secrets OWNER TO {{SecretsDatabaseRoles.Owner}};

        -- FORCE makes the policies bind the owner too; superusers bypass RLS, which is why the
        -- service never connects as one (it checks at start-up and refuses to run otherwise).
        ALTER TABLE secrets.data_keys ENABLE ROW LEVEL SECURITY;
        ALTER TABLE secrets.data_keys FORCE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS tenant_isolation ON secrets.data_keys;
        CREATE POLICY tenant_isolation ON secrets.data_keys
            USING (tenant = current_setting('{{SecretsDatabaseRoles.TenantSetting}}', true))
            WITH CHECK (tenant = current_setting('{{SecretsDatabaseRoles.TenantSetting}}', true));

        ALTER TABLE secrets.secrets ENABLE ROW LEVEL SECURITY;
        ALTER TABLE secrets.secrets FORCE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS tenant_isolation ON secrets.secrets;
        CREATE POLICY tenant_isolation ON secrets.secrets
            USING (tenant = current_setting('{{SecretsDatabaseRoles.TenantSetting}}', true))
            WITH CHECK (tenant = current_setting('{{SecretsDatabaseRoles.TenantSetting}}', true));

        GRANT USAGE ON SCHEMA secrets TO {{SecretsDatabaseRoles.App}};
        GRANT SELECT, INSERT ON secrets.key_encryption_keys TO {{SecretsDatabaseRoles.App}};
        GRANT SELECT, INSERT ON secrets.data_keys TO {{SecretsDatabaseRoles.App}};
        GRANT SELECT, INSERT, UPDATE, DELETE ON secrets.secrets TO {{SecretsDatabaseRoles.App}};
        """;

}
