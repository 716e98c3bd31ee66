using System.Text.Json;
using McpPlatform.CollectorTenant.Extensions;
using McpPlatform.Core;
using McpPlatform.Shared;
using Npgsql;
using NpgsqlTypes;

namespace McpPlatform.CollectorTenant.Store;

/// <summary>
/// The audit database as the collector's app role sees it. Every read and write of
/// <c>audit.records</c> runs in a transaction that first sets <c>app.tenant</c> with
/// <c>set_config(…, true)</c> (transaction-local, so a pooled connection never carries a tenant
/// into the next use); the database's RLS policy then admits that tenant's rows only. The
/// queries also name the tenant: the policy is the backstop, not the only check.
/// </summary>
public sealed class AuditStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, tenant, audit_partition, occurred_at, kind, server, principal_id, principal_type, invocation_id, tool, " +
        "outcome, reason_code, usage_tokens, usage_cost, duration_ms, trace_id, argument_digest, arguments::text, detail::text";

    /// <summary>Stores records, ignoring ids already stored (redelivery). One transaction for the batch.</summary>
    public async Task<AuditBatchResult> InsertAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var tenants = records.Select(r => r.TenantId).Distinct(StringComparer.Ordinal).ToArray();
        await using (var register = new NpgsqlCommand(
            "INSERT INTO audit.tenants (tenant) SELECT unnest($1::text[]) ON CONFLICT (tenant) DO NOTHING", connection, transaction))
        {
            register.Parameters.Add(new NpgsqlParameter { Value = tenants });
            await register.ExecuteNonQueryAsync(cancellationToken);
        }

        var accepted = 0;
        foreach (var group in records.GroupBy(r => r.TenantId, StringComparer.Ordinal))
        {
            await SetTenantAsync(connection, transaction, group.Key, cancellationToken);
            accepted += await InsertGroupAsync(connection, transaction, group.Key, [.. group], cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new AuditBatchResult(accepted, records.Count - accepted);
    }

    /// <summary>One page of a tenant's records.</summary>
    public async Task<AuditPage> QueryAsync(string tenant, AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await SetTenantAsync(connection, transaction, tenant, cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT {Columns} FROM audit.records
            WHERE tenant = $1
              AND ($2::text IS NULL OR principal_id = $2)
              AND ($3::text IS NULL OR invocation_id = $3)
              AND ($4::text IS NULL OR tool = $4)
              AND ($5::text IS NULL OR outcome = $5)
              AND ($6::text IS NULL OR kind = $6)
              AND ($7::text IS NULL OR trace_id = $7)
              AND ($8::text IS NULL OR audit_partition = $8)
              AND ($9::timestamptz IS NULL OR occurred_at >= $9)
              AND ($10::timestamptz IS NULL OR occurred_at < $10)
              AND ($11::timestamptz IS NULL OR (occurred_at, id) < ($11, $12::uuid))
            ORDER BY occurred_at DESC, id DESC
            LIMIT $13
            """, connection, transaction);
        command.Parameters.Add(Text(tenant));
        command.Parameters.Add(Text(query.PrincipalId));
        command.Parameters.Add(Text(query.InvocationId));
        command.Parameters.Add(Text(query.Tool));
        command.Parameters.Add(Text(query.Outcome));
        command.Parameters.Add(Text(query.Kind));
        command.Parameters.Add(Text(query.TraceId));
        command.Parameters.Add(Text(query.AuditPartition));
        command.Parameters.Add(Time(query.From));
        command.Parameters.Add(Time(query.To));
        command.Parameters.Add(Time(query.After?.OccurredAt));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = query.After?.Id ?? (object)DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = query.Limit + 1 });

        var records = new List<AuditRecord>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                records.Add(Read(reader));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        AuditCursor? next = null;
        if (records.Count > query.Limit)
        {
            records.RemoveAt(records.Count - 1);
            next = new AuditCursor(records[^1].OccurredAt, records[^1].Id);
        }

        return new AuditPage(records, next);
    }

    /// <summary>Tenants with a trail (what the retention job walks).</summary>
    public async Task<IReadOnlyList<string>> TenantsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT tenant FROM audit.tenants ORDER BY tenant");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tenants = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tenants.Add(reader.GetString(0));
        }

        return tenants;
    }

    /// <summary>Deletes a tenant's records past its retention, row cap or byte cap (oldest first); returns how many.</summary>
    public async Task<int> PruneAsync(string tenant, TenantAuditPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await SetTenantAsync(connection, transaction, tenant, cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("DELETE FROM audit.records WHERE tenant = $1 AND occurred_at < now() - make_interval(days => $2)")
                {
                    Parameters = { new() { Value = tenant }, new() { Value = policy.RetentionDays } },
                },
                new NpgsqlBatchCommand("""
                    DELETE FROM audit.records WHERE id IN (
                      SELECT id FROM (
                        SELECT id, row_number() OVER w AS position, sum(size_bytes) OVER w AS total
                        FROM audit.records WHERE tenant = $1
                        WINDOW w AS (ORDER BY occurred_at DESC, id DESC)) ranked
                      WHERE position > $2 OR total > $3)
                    """)
                {
                    Parameters = { new() { Value = tenant }, new() { Value = policy.MaxRows }, new() { Value = policy.MaxBytes } },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        var deleted = batch.BatchCommands.Cast<NpgsqlBatchCommand>().Sum(command => command.RecordsAffected);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>
    /// Refuses to run as a role that RLS does not bind: a superuser, a BYPASSRLS role, or the
    /// tables' owner. The policy is only a guarantee while the app is none of these.
    /// </summary>
    public Task<string?> RoleProblemAsync(CancellationToken cancellationToken) =>
        RowLevelSecurityRoles.ProblemAsync(dataSource, AuditDatabaseRoles.Owner, cancellationToken);

    internal static async Task SetTenantAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT set_config('{AuditDatabaseRoles.TenantSetting}', $1, true)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<int> InsertGroupAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, AuditRecord[] records, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO audit.records (id, tenant, audit_partition, occurred_at, kind, server, principal_id, principal_type,
                invocation_id, tool, outcome, reason_code, usage_tokens, usage_cost, duration_ms, trace_id, argument_digest,
                arguments, detail, size_bytes)
            SELECT u.id, $1, u.audit_partition, u.occurred_at, u.kind, u.server, u.principal_id, u.principal_type,
                u.invocation_id, u.tool, u.outcome, u.reason_code, u.usage_tokens, u.usage_cost, u.duration_ms, u.trace_id,
                u.argument_digest, u.arguments::jsonb, u.detail::jsonb, u.size_bytes
            FROM unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                        $10::text[], $11::text[], $12::text[], $13::int8[], $14::numeric[], $15::float8[], $16::text[], $17::text[],
                        $18::text[], $19::text[], $20::int4[])
                AS u(id, audit_partition, occurred_at, kind, server, principal_id, principal_type, invocation_id, tool, outcome,
                     reason_code, usage_tokens, usage_cost, duration_ms, trace_id, argument_digest, arguments, detail, size_bytes)
            ON CONFLICT (id) DO NOTHING
            """, connection, transaction);
        var arguments = records.Select(r => r.Arguments?.GetRawText()).ToArray();
        var details = records.Select(r => r.Detail?.GetRawText()).ToArray();
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = records.Select(r => r.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = records.Select(r => r.AuditPartition).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = records.Select(r => r.OccurredAt.UtcDateTime).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = records.Select(r => r.Kind).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = records.Select(r => r.Server ?? string.Empty).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = records.Select(r => r.PrincipalId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = records.Select(r => r.PrincipalType).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = records.Select(r => r.InvocationId).ToArray() });
        command.Parameters.Add(TextArray(records.Select(r => r.Tool)));
        command.Parameters.Add(new NpgsqlParameter { Value = records.Select(r => r.Outcome).ToArray() });
        command.Parameters.Add(TextArray(records.Select(r => r.ReasonCode)));
        command.Parameters.Add(new NpgsqlParameter { Value = records.Select(r => r.UsageTokens).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = records.Select(r => r.UsageCost).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = records.Select(r => r.DurationMs).ToArray() });
        command.Parameters.Add(TextArray(records.Select(r => r.TraceId)));
        command.Parameters.Add(TextArray(records.Select(r => r.ArgumentDigest)));
        command.Parameters.Add(TextArray(arguments));
        command.Parameters.Add(TextArray(details));
        command.Parameters.Add(new NpgsqlParameter { Value = records.Select(SizeOf).ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // What a record costs on disk, near enough for the byte cap: its JSON size.
    private static int SizeOf(AuditRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, AuditJsonContext.Default.AuditRecord).Length;

    private static AuditRecord Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        TenantId = reader.GetString(1),
        AuditPartition = reader.GetString(2),
        OccurredAt = new DateTimeOffset(reader.GetDateTime(3), TimeSpan.Zero),
        Kind = reader.GetString(4),
        Server = reader.GetString(5),
        PrincipalId = reader.GetString(6),
        PrincipalType = reader.GetString(7),
        InvocationId = reader.GetString(8),
        Tool = reader.IsDBNull(9) ? null : reader.GetString(9),
        Outcome = reader.GetString(10),
        ReasonCode = reader.IsDBNull(11) ? null : reader.GetString(11),
        UsageTokens = reader.GetInt64(12),
        UsageCost = reader.GetDecimal(13),
        DurationMs = reader.GetDouble(14),
        TraceId = reader.IsDBNull(15) ? null : reader.GetString(15),
        ArgumentDigest = reader.IsDBNull(16) ? null : reader.GetString(16),
        Arguments = reader.IsDBNull(17) ? null : Json(reader.GetString(17)),
        Detail = reader.IsDBNull(18) ? null : Json(reader.GetString(18)),
    };

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static NpgsqlParameter Text(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = value ?? (object)DBNull.Value };

    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value?.UtcDateTime ?? (object)DBNull.Value };

    private static NpgsqlParameter TextArray(IEnumerable<string?> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values.ToArray() };
}
