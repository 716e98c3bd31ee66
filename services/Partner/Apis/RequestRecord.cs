namespace McpPlatform.Partner.Apis;

/// <summary>What one request to the API carried.</summary>
/// <param name="Seq">Position in the log, increasing from 1.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path (no query string), at most 256 characters.</param>
/// <param name="Tenant">The tenant the presented key belongs to, or null when it matched none.</param>
/// <param name="KeySha256">SHA-256 (hex) of the presented key, or null when none was presented; never the key.</param>
public sealed record RequestRecord(long Seq, string Method, string Path, string? Tenant, string? KeySha256);
