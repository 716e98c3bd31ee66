using System.Text;

namespace McpPlatform.McpServer.Caching;

/// <summary>Settings of the tenant-scoped cache (configuration section <c>TenantCache</c>).</summary>
public sealed class TenantCacheOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TenantCache";

    /// <summary>Shortest accepted <see cref="KeySecret"/>, in UTF-8 bytes (HMAC-SHA256's output length).</summary>
    public const int MinimumKeySecretBytes = 32;

    /// <summary>
    /// Deployment secret the Redis key names are derived from (HMAC-SHA256), so a reader of Redis
    /// can neither confirm a guessed partition nor match equal arguments across tenants. Required;
    /// changing it only orphans cached entries (they expire).
    /// </summary>
    public string? KeySecret { get; set; }

    /// <summary>Prefix of every Redis key the cache writes; distinct from quota's <c>q:</c>.</summary>
    public string KeyPrefix { get; set; } = "tc:";

    /// <summary>Lifetime when a caller gives none.</summary>
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest lifetime a caller may ask for.</summary>
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Longest time an entry stays in a process's memory tier (never longer than its lifetime).</summary>
    public TimeSpan MaxLocalTtl { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Largest cached value after serialization; larger values are returned but not cached.</summary>
    public int MaxPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>Redis connect timeout.</summary>
    public int ConnectTimeoutMilliseconds { get; set; } = 2_000;

    /// <summary>Redis command timeout; past it the cache is bypassed for that call.</summary>
    public int OperationTimeoutMilliseconds { get; set; } = 500;

    internal IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(KeySecret))
        {
            problems.Add($"{SectionName}:KeySecret is required: a random secret of at least {MinimumKeySecretBytes} bytes from which "
                + "the cache's Redis key names are derived (e.g. `openssl rand -base64 48`).");
        }
        else if (Encoding.UTF8.GetByteCount(KeySecret) < MinimumKeySecretBytes)
        {
            problems.Add($"{SectionName}:KeySecret must be at least {MinimumKeySecretBytes} bytes (it is {Encoding.UTF8.GetByteCount(KeySecret)}).");
        }

        if (string.IsNullOrEmpty(KeyPrefix) || KeyPrefix.Length > 16 || KeyPrefix.StartsWith("q:", StringComparison.Ordinal)
            || KeyPrefix.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is ':' or '-' or '_' or '.')))
        {
            problems.Add($"{SectionName}:KeyPrefix must be 1-16 of letters, digits, ':', '-', '_', '.' and must not start with quota's 'q:'.");
        }

        if (MaxTtl <= TimeSpan.Zero || DefaultTtl <= TimeSpan.Zero || DefaultTtl > MaxTtl)
        {
            problems.Add($"{SectionName}: DefaultTtl and MaxTtl must be positive and DefaultTtl at most MaxTtl.");
        }

        if (MaxLocalTtl <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:MaxLocalTtl must be positive.");
        }

        if (MaxPayloadBytes is < 1024 or > 64 * 1024 * 1024)
        {
            problems.Add($"{SectionName}:MaxPayloadBytes must be between 1 KiB and 64 MiB.");
        }

        if (ConnectTimeoutMilliseconds < 1 || OperationTimeoutMilliseconds < 1)
        {
            problems.Add($"{SectionName}: timeouts must be positive.");
        }

        return problems;
    }
}
