using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace McpPlatform.Quota.Engine;

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
