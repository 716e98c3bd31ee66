namespace McpPlatform.Core.Quota;

/// <summary>A granted admission: release it with the actual usage when the call ends.</summary>
/// <param name="LeaseId">The opaque lease id (empty where the admitter keeps its own handle).</param>
/// <param name="ExpiresAt">When the concurrency slot returns by itself if never released.</param>
public sealed record QuotaLease(string LeaseId, DateTimeOffset ExpiresAt)
{
    /// <summary>What the admitter that granted the lease needs to release it; opaque to everyone else.</summary>
    public object? Handle { get; init; }
}
