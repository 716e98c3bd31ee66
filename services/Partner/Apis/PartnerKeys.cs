using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace McpPlatform.Partner.Apis;

/// <summary>
/// Which tenant an API key belongs to. Keys are compared as SHA-256 digests with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, against every configured key without
/// stopping at a match, so neither the comparison nor the loop leaks how much of a key was right.
/// </summary>
public sealed class PartnerKeys
{
    private readonly (string Tenant, byte[] Digest)[] _keys;

    /// <summary>Reads the keys from configuration.</summary>
    /// <param name="options">The partner's options.</param>
    public PartnerKeys(IOptions<PartnerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keys = [.. options.Value.Keys
            .Where(pair => !string.IsNullOrEmpty(pair.Value))
            .Select(pair => (pair.Key, Digest(pair.Value)))];
    }

    /// <summary>The tenant whose key this is, or null.</summary>
    /// <param name="presented">The key as presented; null or empty matches nothing.</param>
    /// <returns>The tenant slug, or null.</returns>
    public string? TenantOf(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return null;
        }

        var digest = Digest(presented);
        string? tenant = null;
        foreach (var (candidate, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, expected))
            {
                tenant = candidate;
            }
        }

        return tenant;
    }

    /// <summary>The lowercase hex SHA-256 of a key, as <c>/v1/requests</c> shows it.</summary>
    /// <param name="key">The key.</param>
    /// <returns>64 hex characters.</returns>
    public static string Sha256Hex(string key) => Convert.ToHexStringLower(Digest(key));

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
