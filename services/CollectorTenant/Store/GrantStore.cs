using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Core;
using Npgsql;

namespace McpPlatform.CollectorTenant.Store;

/// <summary>
/// Grants and their trail: every request, approval and use is written, in the same transaction,
/// as a record in the tenant's own audit trail, so the tenant sees that and why an operator looked.
/// </summary>
public sealed class GrantStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Columns = "id, tenant, requested_by, reason, trace_id, duration_seconds, requested_at, approved_by, approved_at, expires_at";

    /// <summary>Stores a new grant (approved at once when <paramref name="approveByPolicy"/>) and writes its events.</summary>
    public async Task<AuditGrant> CreateAsync(string tenant, string operatorId, string reason, string traceId, int durationSeconds,
        bool approveByPolicy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var grant = new AuditGrant(Guid.CreateVersion7(), tenant, operatorId, reason, traceId, durationSeconds, now,
            approveByPolicy ? AuditGrant.PolicyApprover : null,
            approveByPolicy ? now : null,
            approveByPolicy ? now.AddSeconds(durationSeconds) : null);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO audit.grants ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = grant.Id });
            insert.Parameters.Add(new() { Value = grant.TenantId });
            insert.Parameters.Add(new() { Value = grant.RequestedBy });
            insert.Parameters.Add(new() { Value = grant.Reason });
            insert.Parameters.Add(new() { Value = grant.TraceId });
            insert.Parameters.Add(new() { Value = grant.DurationSeconds });
            insert.Parameters.Add(new() { Value = grant.RequestedAt.UtcDateTime });
            insert.Parameters.Add(new() { Value = (object?)grant.ApprovedBy ?? DBNull.Value });
            insert.Parameters.Add(new() { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz, Value = (object?)grant.ApprovedAt?.UtcDateTime ?? DBNull.Value });
            insert.Parameters.Add(new() { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz, Value = (object?)grant.ExpiresAt?.UtcDateTime ?? DBNull.Value });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        var events = new List<AuditRecord> { Event(grant, AuditKinds.GrantRequested, operatorId, now) };
        if (approveByPolicy)
        {
            events.Add(Event(grant, AuditKinds.GrantApproved, AuditGrant.PolicyApprover, now));
        }

        await WriteEventsAsync(connection, transaction, tenant, events, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return grant;
    }

    /// <summary>The grant, or null.</summary>
    public async Task<AuditGrant?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM audit.grants WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Approves a pending grant; null when it was already approved (by someone else meanwhile).</summary>
    public async Task<AuditGrant?> ApproveAsync(AuditGrant pending, string approverId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        AuditGrant? approved;
        await using (var update = new NpgsqlCommand($"""
            UPDATE audit.grants SET approved_by = $2, approved_at = $3, expires_at = $3 + make_interval(secs => duration_seconds)
            WHERE id = $1 AND approved_at IS NULL
            RETURNING {Columns}
            """, connection, transaction))
        {
            update.Parameters.Add(new() { Value = pending.Id });
            update.Parameters.Add(new() { Value = approverId });
            update.Parameters.Add(new() { Value = now.UtcDateTime });
            await using var reader = await update.ExecuteReaderAsync(cancellationToken);
            approved = await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }

        if (approved is not null)
        {
            await WriteEventsAsync(connection, transaction, approved.TenantId,
                [Event(approved, AuditKinds.GrantApproved, approverId, now)], cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return approved;
    }

    /// <summary>Writes the use of a grant into the tenant's trail, then reads the linked records in the same transaction.</summary>
    public async Task<IReadOnlyList<AuditRecord>> UseAsync(AuditGrant grant, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The use is recorded before anything is read: there is no read the tenant cannot see.
        await WriteEventsAsync(connection, transaction, grant.TenantId,
            [Event(grant, AuditKinds.GrantUsed, grant.RequestedBy, time.GetUtcNow())], cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var store = new AuditStore(dataSource);
        var page = await store.QueryAsync(grant.TenantId, new AuditQuery(TraceId: grant.TraceId, Kind: AuditKinds.ToolCall, Limit: limit), cancellationToken);
        return page.Records;
    }

    private static async Task WriteEventsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant,
        IReadOnlyList<AuditRecord> events, CancellationToken cancellationToken)
    {
        await using (var register = new NpgsqlCommand(
            "INSERT INTO audit.tenants (tenant) VALUES ($1) ON CONFLICT (tenant) DO NOTHING", connection, transaction))
        {
            register.Parameters.Add(new() { Value = tenant });
            await register.ExecuteNonQueryAsync(cancellationToken);
        }

        await AuditStore.SetTenantAsync(connection, transaction, tenant, cancellationToken);
        await AuditStore.InsertGroupAsync(connection, transaction, tenant, [.. events], cancellationToken);
    }

    private static AuditRecord Event(AuditGrant grant, string kind, string actor, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(),
        OccurredAt = at,
        Kind = kind,
        TenantId = grant.TenantId,
        AuditPartition = grant.TenantId,
        PrincipalId = actor,
        PrincipalType = AuditPrincipalTypes.Operator,
        InvocationId = grant.Id.ToString("N"),
        Server = PlatformServices.CollectorTenant.ResourceName,
        Outcome = AuditOutcomes.Success,
        TraceId = grant.TraceId,
        Detail = JsonSerializer.SerializeToElement(new JsonObject
        {
            ["grantId"] = grant.Id.ToString("N"),
            ["requestedBy"] = grant.RequestedBy,
            ["reason"] = grant.Reason,
            ["traceId"] = grant.TraceId,
            ["durationSeconds"] = grant.DurationSeconds,
            ["approvedBy"] = grant.ApprovedBy,
            ["expiresAt"] = grant.ExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        }),
    };

    private static AuditGrant Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetInt32(5),
        new DateTimeOffset(reader.GetDateTime(6), TimeSpan.Zero),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.IsDBNull(8) ? null : new DateTimeOffset(reader.GetDateTime(8), TimeSpan.Zero),
        reader.IsDBNull(9) ? null : new DateTimeOffset(reader.GetDateTime(9), TimeSpan.Zero));
}
