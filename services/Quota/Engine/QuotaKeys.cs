using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
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

    [GeneratedRegex("^[A-Za-z0-9_.:@+-]+$")]
    private static partial Regex IdShape();
}

/// <summary>
/// A lease id names everything release needs to build its keys, so release is one script call
/// with declared keys: <c>&lt;member&gt;.&lt;utc day&gt;.&lt;partition b64url&gt;.&lt;principal b64url&gt;</c>.
/// The member is a random 128-bit value; the id is opaque to callers.
/// </summary>
/// <param name="Member">The lease's random member (32 hex digits).</param>
/// <param name="Day">The UTC day index the reservation was booked in.</param>
/// <param name="Partition">The quota partition.</param>
/// <param name="Principal">The principal.</param>
public sealed record LeaseHandle(string Member, long Day, string Partition, string Principal)
{
    /// <summary>Longest lease id accepted.</summary>
    public const int MaxLength = 32 + 1 + 20 + 1 + 2 * (QuotaKeys.MaxIdLength * 4 / 3 + 4);

    /// <summary>A new lease for a partition and principal.</summary>
    /// <param name="day">The UTC day index.</param>
    /// <param name="partition">The partition.</param>
    /// <param name="principal">The principal.</param>
    /// <returns>The handle.</returns>
    public static LeaseHandle New(long day, string partition, string principal) =>
        new(Guid.NewGuid().ToString("N"), day, partition, principal);

    /// <summary>The opaque id given to the caller.</summary>
    public string Id => string.Join('.', Member, Day.ToString(CultureInfo.InvariantCulture),
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Partition)), Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Principal)));

    /// <summary>Parses a lease id, refusing anything this service did not shape.</summary>
    /// <param name="id">The id from the caller.</param>
    /// <param name="handle">The parsed handle.</param>
    /// <returns>True when well-formed.</returns>
    public static bool TryParse(string? id, [NotNullWhen(true)] out LeaseHandle? handle)
    {
        handle = null;
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return false;
        }

        var parts = id.Split('.');
        if (parts.Length != 4 || parts[0].Length != 32 || !parts[0].All(char.IsAsciiHexDigitLower)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || !TryDecode(parts[2], out var partition) || !TryDecode(parts[3], out var principal))
        {
            return false;
        }

        handle = new LeaseHandle(parts[0], day, partition, principal);
        return true;
    }

    private static bool TryDecode(string text, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (text.Length == 0 || !Base64Url.IsValid(text))
        {
            return false;
        }

        try
        {
            value = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return false;
        }

        return QuotaKeys.IsValidId(value);
    }
}
