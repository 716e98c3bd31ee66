namespace McpPlatform.Core;

/// <summary>The collector's answer to a batch it stored.</summary>
/// <param name="Accepted">Records stored now.</param>
/// <param name="Duplicates">Records already stored by an earlier delivery (ignored).</param>
public sealed record AuditBatchResult(int Accepted, int Duplicates);
