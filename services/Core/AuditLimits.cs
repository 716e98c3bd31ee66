namespace McpPlatform.Core;

/// <summary>Wire limits of the tenant pipeline, shared by emitters and the collector.</summary>
public static class AuditLimits
{
    /// <summary>Most records in one batch.</summary>
    public const int MaxRecordsPerBatch = 500;

    /// <summary>Largest batch body in bytes.</summary>
    public const int MaxBatchBytes = 1024 * 1024;

    /// <summary>Largest raw-arguments element kept in one record (bytes of JSON); larger is replaced by the digest alone.</summary>
    public const int MaxArgumentsBytes = 16 * 1024;

    /// <summary>Longest identifier field (tenant, principal, partition, tool, reason code).</summary>
    public const int MaxIdLength = 256;

    /// <summary>Largest <see cref="AuditRecord.Detail"/> (bytes of JSON) a sender may write.</summary>
    public const int MaxDetailBytes = 4 * 1024;

    /// <summary>Longest invocation id.</summary>
    public const int MaxInvocationIdLength = 128;

    /// <summary>
    /// Whether a value can be a record's invocation id: 1-<see cref="MaxInvocationIdLength"/>
    /// characters of ASCII letters, digits, '.', '_', ':' or '-' (what MCP servers accept in
    /// <c>_meta</c> and the collector stores).
    /// </summary>
    /// <param name="value">The candidate.</param>
    /// <returns>True when it has that shape.</returns>
    public static bool IsInvocationId(string? value) =>
        value is { Length: > 0 and <= MaxInvocationIdLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');
}
