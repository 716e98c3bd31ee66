using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace McpPlatform.Quota.Engine;

/// <summary>
/// The only place Redis keys are written. Every key of a partition carries the partition as a
/// Redis Cluster hash tag (<c>q:{partition}:…</c>), so one admission script touches one slot;
/// principals' keys nest inside their partition's tag. Partitions and principal ids are
/// validated by <see cref="IsValidId"/> first, which rules out braces and whitespace.
/// </summary>
public static partial class QuotaKeys
{
    /// <summary>Longest tenant, principal or partition id accepted.</summary>
    public const int MaxIdLength = 160;

    /// <summary>The operator's limit overrides (hash: tenant id → JSON); own slot, own prefix.</summary>
    public static readonly RedisKey AdminLimits = "qa:{admin}:limits";

    /// <summary>The policy the quota service publishes for in-process admitters (string: JSON).</summary>
    public static readonly RedisKey AdminPolicy = "qa:{admin}:policy";

    /// <summary>The record of limit changes (list of JSON, newest first).</summary>
    public static readonly RedisKey AdminChanges = "qa:{admin}:changes";

    /// <summary>True when <paramref name="id"/> is a usable tenant, principal or partition id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>Whether it is 1-160 characters of letters, digits and <c>_.:@+-</c>.</returns>
    public static bool IsValidId([NotNullWhen(true)] string? id) => id is { Length: > 0 and <= MaxIdLength } && IdShape().IsMatch(id);

    /// <summary>Leases in flight in a partition (sorted set: lease → expiry in ms).</summary>
    public static RedisKey PartitionLeases(string partition) => Tag(partition) + "c";

    /// <summary>Leases in flight of one principal.</summary>
    public static RedisKey PrincipalLeases(string partition, string principal) => Tag(partition) + "pc:" + principal;

    // Suffixes ending in 2 are the string layouts of buckets and lease records (one command to
    // read or write each); keys of the earlier hash layout are simply no longer read and expire.

    /// <summary>The partition's rate bucket (string: <c>tokens:timestamp</c>).</summary>
    public static RedisKey PartitionBucket(string partition) => Tag(partition) + "r2";

    /// <summary>A principal's rate bucket.</summary>
    public static RedisKey PrincipalBucket(string partition, string principal) => Tag(partition) + "pr2:" + principal;

    /// <summary>The partition's budget counters for one UTC day (hash: hour and day fields).</summary>
    public static RedisKey Budget(string partition, long day) => Tag(partition) + "b:" + day.ToString(CultureInfo.InvariantCulture);

    /// <summary>One lease's reservation record (string: <c>hour:tokens:cost</c>).</summary>
    public static RedisKey Lease(string partition, string member) => Tag(partition) + "l2:" + member;

    private static string Tag(string partition) => "q:{" + partition + "}:";

    [GeneratedRegex(@"^[A-Za-z0-9_.:@+-]+\z")]
    private static partial Regex IdShape();
}
