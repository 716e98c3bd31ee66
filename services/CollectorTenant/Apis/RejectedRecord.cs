namespace McpPlatform.CollectorTenant.Apis;

/// <summary>One refused record of a batch: its position, a code and a sentence.</summary>
/// <param name="Index">Position in the batch (0-based).</param>
/// <param name="Code">Machine-readable reason.</param>
/// <param name="Message">What is wrong.</param>
public sealed record RejectedRecord(int Index, string Code, string Message);
