using McpPlatform.Core;
using McpPlatform.Shared;
using Npgsql;

namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>
/// The tenants' connections as the workspace app role sees them. Every statement runs in a
/// transaction that first sets <c>app.tenant</c> transaction-locally; the table's forced RLS
/// policy then admits that tenant's rows only. The queries name the tenant too: the policy is the
/// backstop, not the only check.
/// </summary>
public sealed class ConnectionStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "name, base_url, secret_name, credential_header, credential_prefix, allowed_path_prefixes, allowed_methods";

    /// <summary>The tenant's connections, by name.</summary>
    /// <param name="tenant">The tenant, from the caller's token.</param>
    /// <param name="cancellationToken">Stops the query.</param>
    /// <returns>The connections.</returns>
    public Task<IReadOnlyList<Connection>> ListAsync(string tenant, CancellationToken cancellationToken) =>
        InTenantAsync<IReadOnlyList<Connection>>(tenant, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand($"SELECT {Columns} FROM workspace.connections WHERE tenant = $1 ORDER BY name", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = tenant });
            return await ReadAllAsync(command, cancellationToken);
        }, cancellationToken);

    /// <summary>One of the tenant's connections, or null.</summary>
    /// <param name="tenant">The tenant, from the caller's token.</param>
    /// <param name="name">The connection's name (already checked with <see cref="ConnectionRules.IsName"/>).</param>
    /// <param name="cancellationToken">Stops the query.</param>
    /// <returns>The connection, or null when the tenant has none of that name.</returns>
    public Task<Connection?> FindAsync(string tenant, string name, CancellationToken cancellationToken) =>
        InTenantAsync(tenant, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand($"SELECT {Columns} FROM workspace.connections WHERE tenant = $1 AND name = $2", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = tenant });
            command.Parameters.Add(new NpgsqlParameter { Value = name });
            var found = await ReadAllAsync(command, cancellationToken);
            return found.Count > 0 ? found[0] : null;
        }, cancellationToken);

    /// <summary>Creates or replaces a connection.</summary>
    /// <param name="tenant">The tenant, from the caller's token.</param>
    /// <param name="definition">The checked definition.</param>
    /// <param name="changedBy">Who changed it (the user's id).</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <returns>True when it was created, false when an existing one was replaced.</returns>
    public Task<bool> UpsertAsync(string tenant, Connection definition, string changedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return InTenantAsync(tenant, async (connection, transaction) =>
        {
            // xmax = 0 only for a row this statement inserted.
            await using var command = new NpgsqlCommand("""
                INSERT INTO workspace.connections (tenant, name, base_url, secret_name, credential_header, credential_prefix,
                    allowed_path_prefixes, allowed_methods, updated_by)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (tenant, name) DO UPDATE SET base_url = EXCLUDED.base_url, secret_name = EXCLUDED.secret_name,
                    credential_header = EXCLUDED.credential_header, credential_prefix = EXCLUDED.credential_prefix,
                    allowed_path_prefixes = EXCLUDED.allowed_path_prefixes, allowed_methods = EXCLUDED.allowed_methods,
                    updated_by = EXCLUDED.updated_by, updated_at = now()
                RETURNING (xmax = 0)
                """, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = tenant });
            command.Parameters.Add(new NpgsqlParameter { Value = definition.Name });
            command.Parameters.Add(new NpgsqlParameter { Value = definition.BaseUrl });
            command.Parameters.Add(new NpgsqlParameter { Value = definition.SecretName });
            command.Parameters.Add(new NpgsqlParameter { Value = definition.CredentialHeader });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)definition.CredentialPrefix ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = definition.AllowedPathPrefixes.ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = definition.AllowedMethods.ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = changedBy });
            return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);
    }

    /// <summary>Deletes a connection.</summary>
    /// <param name="tenant">The tenant, from the caller's token.</param>
    /// <param name="name">The connection's name.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <returns>True when there was one to delete.</returns>
    public Task<bool> DeleteAsync(string tenant, string name, CancellationToken cancellationToken) =>
        InTenantAsync(tenant, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand("DELETE FROM workspace.connections WHERE tenant = $1 AND name = $2", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = tenant });
            command.Parameters.Add(new NpgsqlParameter { Value = name });
            return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    /// <summary>
    /// Drops the pool's idle connections after a PostgreSQL failure: after a server restart they are
    /// all dead and Npgsql does not test them on checkout, so each would fail one more call.
    /// </summary>
    public void Recover() => dataSource.Clear();

    /// <summary>
    /// Refuses to run as a role that RLS does not bind: a superuser, a BYPASSRLS role, or the
    /// tables' owner. The policy is only a guarantee while the app is none of these.
    /// </summary>
    /// <param name="cancellationToken">Stops the query.</param>
    /// <returns>What is wrong with the connected role, or null.</returns>
    public Task<string?> RoleProblemAsync(CancellationToken cancellationToken) =>
        RowLevelSecurityRoles.ProblemAsync(dataSource, WorkspaceDatabaseRoles.Owner, cancellationToken);

    private async Task<T> InTenantAsync<T>(string tenant, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var set = new NpgsqlCommand($"SELECT set_config('{WorkspaceDatabaseRoles.TenantSetting}', $1, true)", connection, transaction))
        {
            set.Parameters.Add(new NpgsqlParameter { Value = tenant });
            await set.ExecuteNonQueryAsync(cancellationToken);
        }

        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task<IReadOnlyList<Connection>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var connections = new List<Connection>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            connections.Add(new Connection(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<string[]>(5), reader.GetFieldValue<string[]>(6)));
        }

        return connections;
    }
}
