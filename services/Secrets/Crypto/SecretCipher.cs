using System.Security.Cryptography;
using System.Text;

namespace McpPlatform.Secrets.Crypto;

/// <summary>
/// Encrypts and decrypts one secret value with its tenant's data key (AES-256-GCM). Every write
/// uses a fresh random 12-byte nonce; the associated data binds the tenant, the secret's name and
/// its version, so a ciphertext copied to another tenant, another name or an older version's row
/// fails to decrypt instead of yielding a value.
/// </summary>
public static class SecretCipher
{
    private static readonly byte[] s_label = "mcpplatform-secrets-value/v1"u8.ToArray();

    /// <summary>Encrypts <paramref name="plaintext"/>; the caller zeroes the plaintext afterwards.</summary>
    /// <param name="dataKey">The tenant's 32-byte data key.</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="name">The secret's name.</param>
    /// <param name="version">The version this ciphertext is for.</param>
    /// <param name="plaintext">The value's UTF-8 bytes.</param>
    /// <returns>The nonce and the ciphertext with its tag appended.</returns>
    public static (byte[] Nonce, byte[] Ciphertext) Encrypt(ReadOnlySpan<byte> dataKey, string tenant, string name, int version, ReadOnlySpan<byte> plaintext)
    {
        var nonce = new byte[KeyEncryptionKey.NonceSize];
        RandomNumberGenerator.Fill(nonce);
        var ciphertext = new byte[plaintext.Length + KeyEncryptionKey.TagSize];
        using var aes = new AesGcm(dataKey, KeyEncryptionKey.TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext.AsSpan(0, plaintext.Length), ciphertext.AsSpan(plaintext.Length),
            AssociatedData(tenant, name, version));
        return (nonce, ciphertext);
    }

    /// <summary>Decrypts into a new buffer the caller must zero (<see cref="CryptographicOperations.ZeroMemory"/>) after use.</summary>
    /// <param name="dataKey">The tenant's 32-byte data key.</param>
    /// <param name="tenant">The tenant the row belongs to.</param>
    /// <param name="name">The secret's name.</param>
    /// <param name="version">The row's version.</param>
    /// <param name="nonce">The row's nonce.</param>
    /// <param name="ciphertext">The row's ciphertext with its tag.</param>
    /// <returns>The value's UTF-8 bytes.</returns>
    /// <exception cref="CryptographicException">The ciphertext, nonce or associated data do not match (tampering).</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> dataKey, string tenant, string name, int version, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext)
    {
        if (nonce.Length != KeyEncryptionKey.NonceSize || ciphertext.Length < KeyEncryptionKey.TagSize)
        {
            throw new CryptographicException("The stored ciphertext has the wrong shape.");
        }

        var length = ciphertext.Length - KeyEncryptionKey.TagSize;
        var plaintext = new byte[length];
        try
        {
            using var aes = new AesGcm(dataKey, KeyEncryptionKey.TagSize);
            aes.Decrypt(nonce, ciphertext[..length], ciphertext[length..], plaintext, AssociatedData(tenant, name, version));
            return plaintext;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw;
        }
    }

    /// <summary>The associated data of a value: label, tenant, name and version, NUL-separated (none of them can contain NUL).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="name">The secret's name.</param>
    /// <param name="version">The version.</param>
    /// <returns>The bytes AES-GCM authenticates alongside the ciphertext.</returns>
    public static byte[] AssociatedData(string tenant, string name, int version) =>
        [.. s_label, 0, .. Encoding.UTF8.GetBytes(tenant), 0, .. Encoding.UTF8.GetBytes(name), 0,
            .. Encoding.UTF8.GetBytes(version.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
