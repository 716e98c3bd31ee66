using System.Text.RegularExpressions;
using Npgsql;

namespace McpPlatform.Shared;

/// <summary>
/// The two roles of a tenant database under row-level security, shared by every such database
/// (audit, secrets, workspace): an owner that holds the tables and cannot log in, and an app role
/// the service logs in as, which owns nothing and cannot bypass RLS. The migrator creates them; the
/// service refuses to start as any role the policies would not bind. Linked as source into the
/// database projects and their services (docs/architecture.md, "Shared code").
/// </summary>
internal static partial class RowLevelSecurityRoles
{
    /// <summary>
    /// A tenant database's whole migration step, in one transaction as the server admin: the roles
    /// (<see cref="EnsureAsync"/>), then the schema (idempotent DDL), then an optional step such as a
    /// development seed.
    /// </summary>
    /// <param name="connectionString">The database, as the server admin.</param>
    /// <param name="owner">The owner role.</param>
    /// <param name="app">The app role.</param>
    /// <param name="password">The app role's password, from configuration.</param>
    /// <param name="passwordKey">The configuration key the password came from.</param>
    /// <param name="schema">The schema's DDL, owned by <paramref name="owner"/>.</param>
    /// <param name="then">Runs after the schema, in the same transaction; null for none.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>A task that completes when the transaction has committed.</returns>
    public static async Task ApplyAsync(
        string connectionString, string owner, string app, string? password, string passwordKey, string schema,
        Func<NpgsqlConnection, CancellationToken, Task>? then, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await EnsureAsync(connection, owner, app, password, passwordKey, cancellationToken);
        await using (var command = new NpgsqlCommand(schema, connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (then is not null)
        {
            await then(connection, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Creates the owner and app roles if missing and sets their attributes and the app role's
    /// password, in the caller's transaction. Roles are cluster-wide, so the step is idempotent.
    /// </summary>
    /// <param name="connection">An open connection as the server admin.</param>
    /// <param name="owner">The owner role (NOLOGIN).</param>
    /// <param name="app">The app role (LOGIN, NOBYPASSRLS).</param>
    /// <param name="password">The app role's password, from configuration.</param>
    /// <param name="passwordKey">The configuration key the password came from, for the error message.</param>
    /// <param name="cancellationToken">Cancels the statements.</param>
    /// <returns>A task that completes when the roles are in place.</returns>
    public static async Task EnsureAsync(
        NpgsqlConnection connection, string owner, string app, string? password, string passwordKey, CancellationToken cancellationToken)
    {
        // ALTER ROLE takes no parameters, so the password is checked here and embedded as a literal.
        if (string.IsNullOrWhiteSpace(password) || !PasswordShape().IsMatch(password))
        {
            throw new InvalidOperationException(
                $"{passwordKey} must be 12-128 characters without quotes, backslashes or whitespace: it is the {app} role's password.");
        }

        await using var command = new NpgsqlCommand($"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{owner}') THEN
                CREATE ROLE {owner} NOLOGIN;
              END IF;
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{app}') THEN
                CREATE ROLE {app} LOGIN;
              END IF;
            END $$;
            ALTER ROLE {app} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '{password}';
            ALTER ROLE {owner} WITH NOLOGIN NOBYPASSRLS;
            """, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Why the connected role is one RLS does not bind (a superuser, a BYPASSRLS role, or the tables'
    /// owner or a member of it), or null when the policies are a guarantee for it.
    /// </summary>
    /// <param name="dataSource">The service's data source, as it connects.</param>
    /// <param name="owner">The tables' owner role.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>A sentence, or null.</returns>
    public static async Task<string?> ProblemAsync(NpgsqlDataSource dataSource, string owner, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT current_user, r.rolsuper, r.rolbypassrls, pg_has_role(current_user, '{owner}', 'MEMBER')
            FROM pg_roles r WHERE r.rolname = current_user
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return "the connected role is not in pg_roles";
        }

        var role = reader.GetString(0);
        return (reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3)) switch
        {
            (true, _, _) => $"'{role}' is a superuser; superusers bypass row-level security",
            (_, true, _) => $"'{role}' has BYPASSRLS",
            (_, _, true) => $"'{role}' is (or is a member of) the tables' owner {owner}",
            _ => null,
        };
    }

    [GeneratedRegex(@"^[A-Za-z0-9!#%&()*+,./:;<=>?@^_{|}~-]{12,128}\z")]
    private static partial Regex PasswordShape();
}
