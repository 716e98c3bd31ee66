namespace McpPlatform.Core;

/// <summary>What a sender posts to <c>collector-tenant</c>: <c>POST /v1/records</c>.</summary>
/// <param name="Records">The records, at most <see cref="AuditLimits.MaxRecordsPerBatch"/>.</param>
public sealed record AuditBatch(IReadOnlyList<AuditRecord> Records);
