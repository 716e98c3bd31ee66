using System.Security.Cryptography;
using McpPlatform.Core;
using McpPlatform.Shared;
using McpPlatform.Secrets.Crypto;
using Npgsql;

namespace McpPlatform.Secrets.Store;

/// <summary>
/// Secrets in PostgreSQL with envelope encryption: each tenant has a random 256-bit data key,
/// stored only wrapped by the key-encryption key; values are stored only as AES-GCM ciphertext
/// under that data key. Every statement runs in a transaction that first sets <c>app.tenant</c>
/// (transaction-local), so the database's row-level security admits that tenant's rows only; the
/// queries name the tenant as well (the policy is the backstop). Unwrapped data keys and decrypted
/// values live in byte arrays that are zeroed after use; nothing is cached.
/// </summary>
internal sealed class PostgresSecretStore(NpgsqlDataSource dataSource, KeyEncryptionKey kek, TimeProvider time) : ISecretStore
{
    private const string MetadataColumns =
        "name, allowed_servers, allowed_tools, version, created_at, created_by, rotated_at, rotated_by";

    public Task<IReadOnlyList<SecretMetadata>> ListAsync(string tenant, CancellationToken cancellationToken) =>
        InTenantAsync<IReadOnlyList<SecretMetadata>>(tenant, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(
                $"SELECT {MetadataColumns} FROM secrets.secrets WHERE tenant = $1 ORDER BY name", connection, transaction);
            command.Parameters.Add(new() { Value = tenant });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var list = new List<SecretMetadata>();
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(ReadMetadata(reader));
            }

            return list;
        }, cancellationToken);

    public Task<SecretMetadata?> GetAsync(string tenant, string name, CancellationToken cancellationToken) =>
        InTenantAsync(tenant, (connection, transaction) => FindAsync(connection, transaction, tenant, name, forUpdate: false, cancellationToken),
            cancellationToken);

    public Task<SecretMetadata?> CreateAsync(string tenant, NewSecret secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return InTenantAsync(tenant, async (connection, transaction) =>
        {
            var (keyVersion, nonce, ciphertext) = await EncryptAsync(connection, transaction, tenant, secret.Name, 1, secret.Value, cancellationToken);
            await using var command = new NpgsqlCommand($"""
                INSERT INTO secrets.secrets (tenant, name, version, data_key_version, nonce, ciphertext, allowed_servers, allowed_tools, created_at, created_by)
                VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (tenant, name) DO NOTHING
                RETURNING {MetadataColumns}
                """, connection, transaction);
            command.Parameters.Add(new() { Value = tenant });
            command.Parameters.Add(new() { Value = secret.Name });
            command.Parameters.Add(new() { Value = keyVersion });
            command.Parameters.Add(new() { Value = nonce });
            command.Parameters.Add(new() { Value = ciphertext });
            command.Parameters.Add(new() { Value = secret.AllowedServers.ToArray() });
            command.Parameters.Add(new() { Value = secret.AllowedTools.ToArray() });
            command.Parameters.Add(new() { Value = time.GetUtcNow() });
            command.Parameters.Add(new() { Value = secret.CreatedBy });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadMetadata(reader) : null;
        }, cancellationToken);
    }

    public Task<SecretMetadata?> RotateAsync(string tenant, string name, byte[] value, string rotatedBy, CancellationToken cancellationToken) =>
        InTenantAsync(tenant, async (connection, transaction) =>
        {
            // The row is locked first: the new version is part of the associated data, so it must
            // be known (and stay the same) before encrypting.
            if (await FindAsync(connection, transaction, tenant, name, forUpdate: true, cancellationToken) is not { } current)
            {
                return null;
            }

            var version = current.Version + 1;
            var (keyVersion, nonce, ciphertext) = await EncryptAsync(connection, transaction, tenant, name, version, value, cancellationToken);
            await using var command = new NpgsqlCommand($"""
                UPDATE secrets.secrets
                SET version = $3, data_key_version = $4, nonce = $5, ciphertext = $6, rotated_at = $7, rotated_by = $8
                WHERE tenant = $1 AND name = $2
                RETURNING {MetadataColumns}
                """, connection, transaction);
            command.Parameters.Add(new() { Value = tenant });
            command.Parameters.Add(new() { Value = name });
            command.Parameters.Add(new() { Value = version });
            command.Parameters.Add(new() { Value = keyVersion });
            command.Parameters.Add(new() { Value = nonce });
            command.Parameters.Add(new() { Value = ciphertext });
            command.Parameters.Add(new() { Value = time.GetUtcNow() });
            command.Parameters.Add(new() { Value = rotatedBy });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadMetadata(reader) : null;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string tenant, string name, CancellationToken cancellationToken) =>
        InTenantAsync(tenant, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand("DELETE FROM secrets.secrets WHERE tenant = $1 AND name = $2", connection, transaction);
            command.Parameters.Add(new() { Value = tenant });
            command.Parameters.Add(new() { Value = name });
            return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    public Task<SecretRead> ReadAsync(string tenant, string name, Func<SecretMetadata, bool> mayRead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mayRead);
        return InTenantAsync(tenant, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand($"""
                SELECT s.{MetadataColumns.Replace(", ", ", s.", StringComparison.Ordinal)}, s.nonce, s.ciphertext, k.kek_id, k.wrapped_key
                FROM secrets.secrets s
                JOIN secrets.data_keys k ON k.tenant = s.tenant AND k.version = s.data_key_version
                WHERE s.tenant = $1 AND s.name = $2
                """, connection, transaction);
            command.Parameters.Add(new() { Value = tenant });
            command.Parameters.Add(new() { Value = name });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new SecretRead(null, null);
            }

            var metadata = ReadMetadata(reader);
            if (!mayRead(metadata))
            {
                return new SecretRead(metadata, null);
            }

            var nonce = reader.GetFieldValue<byte[]>(8);
            var ciphertext = reader.GetFieldValue<byte[]>(9);
            var dataKey = new byte[KeyEncryptionKey.KeySize];
            try
            {
                kek.Unwrap(tenant, reader.GetString(10), reader.GetFieldValue<byte[]>(11), dataKey);
                return new SecretRead(metadata, new SecretPlaintext(
                    SecretCipher.Decrypt(dataKey, tenant, metadata.Name, metadata.Version, nonce, ciphertext)));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(dataKey);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Refuses to run as a role that RLS does not bind: a superuser, a BYPASSRLS role, or the
    /// tables' owner. The policy is only a guarantee while the service is none of these.
    /// </summary>
    public Task<string?> RoleProblemAsync(CancellationToken cancellationToken) =>
        RowLevelSecurityRoles.ProblemAsync(dataSource, SecretsDatabaseRoles.Owner, cancellationToken);

    /// <summary>
    /// Registers this service's KEK id on first use; afterwards, a KEK whose id was never
    /// registered is refused (a wrong parameter would otherwise fail every read, and a new tenant's
    /// data key would be wrapped by a key nobody else has).
    /// </summary>
    /// <returns>Null when the KEK is known (or now registered), else a sentence naming the known ids.</returns>
    public async Task<string?> KeyEncryptionKeyProblemAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var register = new NpgsqlCommand("""
            INSERT INTO secrets.key_encryption_keys (id)
            SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM secrets.key_encryption_keys)
            ON CONFLICT (id) DO NOTHING
            """, connection))
        {
            register.Parameters.Add(new() { Value = kek.Id });
            await register.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var known = new NpgsqlCommand("SELECT id FROM secrets.key_encryption_keys ORDER BY first_used", connection);
        await using var reader = await known.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids.Contains(kek.Id, StringComparer.Ordinal)
            ? null
            : $"the configured key-encryption key has id '{kek.Id}', but the database's data keys are wrapped by '{string.Join("', '", ids)}'";
    }

    private async Task<T> InTenantAsync<T>(string tenant, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var set = new NpgsqlCommand($"SELECT set_config('{SecretsDatabaseRoles.TenantSetting}', $1, true)", connection, transaction))
        {
            set.Parameters.Add(new() { Value = tenant });
            await set.ExecuteNonQueryAsync(cancellationToken);
        }

        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task<SecretMetadata?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, string name, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {MetadataColumns} FROM secrets.secrets WHERE tenant = $1 AND name = $2{(forUpdate ? " FOR UPDATE" : string.Empty)}",
            connection, transaction);
        command.Parameters.Add(new() { Value = tenant });
        command.Parameters.Add(new() { Value = name });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadMetadata(reader) : null;
    }

    // The tenant's current data key (created on its first write), unwrapped only for this
    // encryption and zeroed straight after.
    private async Task<(int KeyVersion, byte[] Nonce, byte[] Ciphertext)> EncryptAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, string name, int version, byte[] value,
        CancellationToken cancellationToken)
    {
        var dataKey = new byte[KeyEncryptionKey.KeySize];
        try
        {
            var keyVersion = await DataKeyAsync(connection, transaction, tenant, dataKey, cancellationToken);
            var (nonce, ciphertext) = SecretCipher.Encrypt(dataKey, tenant, name, version, value);
            return (keyVersion, nonce, ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    private async Task<int> DataKeyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, byte[] dataKey, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await using (var select = new NpgsqlCommand(
                "SELECT version, kek_id, wrapped_key FROM secrets.data_keys WHERE tenant = $1 ORDER BY version DESC LIMIT 1",
                connection, transaction))
            {
                select.Parameters.Add(new() { Value = tenant });
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    kek.Unwrap(tenant, reader.GetString(1), reader.GetFieldValue<byte[]>(2), dataKey);
                    return reader.GetInt32(0);
                }
            }

            // First write of this tenant: a fresh random key, stored wrapped only. A concurrent
            // first write may win the insert; the loop then reads the winner's key.
            RandomNumberGenerator.Fill(dataKey);
            var wrapped = kek.Wrap(tenant, dataKey);
            CryptographicOperations.ZeroMemory(dataKey);
            await using var insert = new NpgsqlCommand(
                "INSERT INTO secrets.data_keys (tenant, version, kek_id, wrapped_key) VALUES ($1, 1, $2, $3) ON CONFLICT DO NOTHING",
                connection, transaction);
            insert.Parameters.Add(new() { Value = tenant });
            insert.Parameters.Add(new() { Value = kek.Id });
            insert.Parameters.Add(new() { Value = wrapped });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        throw new InvalidOperationException("The tenant's data key could not be created.");
    }

    private static SecretMetadata ReadMetadata(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetFieldValue<string[]>(1),
        reader.GetFieldValue<string[]>(2),
        reader.GetInt32(3),
        reader.GetFieldValue<DateTimeOffset>(4),
        reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
        reader.IsDBNull(7) ? null : reader.GetString(7));
}
