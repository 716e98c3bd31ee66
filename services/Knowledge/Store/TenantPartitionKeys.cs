using System.Security.Cryptography;
using System.Text;
using McpPlatform.Core;

namespace McpPlatform.Knowledge.Store;

/// <summary>
/// Opaque storage keys for tenant data partitions: base32 (RFC 4648, lowercase, unpadded) of
/// HMAC-SHA256(platform secret, UTF-8 data partition). Directory and collection names come from
/// these, never from the tenant id, so storage listings reveal no tenant, names cannot be guessed
/// without the secret, and no character of a partition value can reach a path or a name.
/// </summary>
public sealed class TenantPartitionKeys
{
    /// <summary>Shortest accepted secret, in UTF-8 bytes (HMAC-SHA256's block size is 64; 32 is its output).</summary>
    public const int MinimumSecretBytes = 32;

    /// <summary>Length of every key: 256 bits in base32.</summary>
    public const int KeyLength = 52;

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    private readonly byte[] _secret;

    /// <param name="secret">The platform secret (<c>Knowledge:Store:PartitionKeySecret</c>); changing it orphans all stored data.</param>
    public TenantPartitionKeys(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        _secret = Encoding.UTF8.GetBytes(secret);
        if (_secret.Length < MinimumSecretBytes)
        {
            throw new ArgumentException(
                $"The partition key secret must be at least {MinimumSecretBytes} bytes; generate one with `openssl rand -base64 48`.", nameof(secret));
        }
    }

    /// <summary>The key of the caller's data partition.</summary>
    public string KeyFor(TenantContext tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return KeyForPartition(tenant.DataPartition);
    }

    /// <summary>The key of a data partition. Pure: computing a key reads or writes nothing.</summary>
    public string KeyForPartition(string dataPartition)
    {
        if (string.IsNullOrEmpty(dataPartition))
        {
            throw new ArgumentException("The data partition is empty.", nameof(dataPartition));
        }

        var mac = HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(dataPartition));
        return Base32(mac);
    }

    /// <summary>True when <paramref name="key"/> has the shape of a key this class produces.</summary>
    public static bool IsKeyShaped(string? key) =>
        key is { Length: KeyLength } && key.All(c => Alphabet.Contains(c, StringComparison.Ordinal));

    internal static string Base32(ReadOnlySpan<byte> data)
    {
        var output = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                output.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            output.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return output.ToString();
    }
}
