using System.Security.Cryptography;
using System.Text;

namespace McpPlatform.Secrets.Crypto;

/// <summary>
/// The key-encryption key (KEK): 32 bytes from the AppHost secret parameter
/// <c>secrets-key-encryption-key</c> (base64). It only wraps and unwraps the tenants' data keys
/// (AES-256-GCM); values are never encrypted with it directly. <see cref="Id"/> is a fingerprint
/// that names the key in the database without revealing it, so data keys wrapped by an earlier
/// KEK can be found and re-wrapped when the KEK is rotated (docs/secrets.md).
/// </summary>
public sealed class KeyEncryptionKey : IDisposable
{
    /// <summary>Bytes of a key (AES-256).</summary>
    public const int KeySize = 32;

    /// <summary>Bytes of an AES-GCM nonce.</summary>
    public const int NonceSize = 12;

    /// <summary>Bytes of an AES-GCM tag.</summary>
    public const int TagSize = 16;

    /// <summary>Bytes of a wrapped data key: nonce, ciphertext, tag.</summary>
    public const int WrappedSize = NonceSize + KeySize + TagSize;

    private static readonly byte[] s_idLabel = "mcpplatform-secrets-kek-id/v1"u8.ToArray();
    private static readonly byte[] s_wrapLabel = "mcpplatform-secrets-data-key/v1"u8.ToArray();

    private readonly byte[] _key;
    private readonly AesGcm _aes;

    private KeyEncryptionKey(byte[] key)
    {
        _key = key;
        _aes = new AesGcm(_key, TagSize);
        // The id is a keyed fingerprint: it names this key and proves nothing about its bytes.
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, s_idLabel, mac);
        Id = "kek-" + Convert.ToHexStringLower(mac[..8]);
    }

    /// <summary>Names this key in <c>secrets.data_keys.kek_id</c>: <c>kek-</c> and 16 hex characters.</summary>
    public string Id { get; }

    /// <summary>Parses the parameter's value, or says clearly why it is not a key (never echoing it).</summary>
    /// <param name="base64">The configured value.</param>
    /// <param name="key">The key, when the value is one.</param>
    /// <param name="problem">Why not, otherwise.</param>
    /// <returns>True when <paramref name="key"/> was created.</returns>
    public static bool TryParse(string? base64, out KeyEncryptionKey? key, out string? problem)
    {
        key = null;
        if (string.IsNullOrWhiteSpace(base64))
        {
            problem = "it is not set";
            return false;
        }

        var buffer = new byte[KeySize + 1];
        try
        {
            if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var written))
            {
                problem = "it is not base64 of 32 bytes (generate one with: openssl rand -base64 32)";
                return false;
            }

            if (written != KeySize)
            {
                problem = $"it decodes to {written} bytes, not {KeySize} (generate one with: openssl rand -base64 32)";
                return false;
            }

            if (buffer.AsSpan(0, KeySize).IndexOfAnyExcept((byte)0) < 0)
            {
                problem = "it is all zero bytes";
                return false;
            }

            key = new KeyEncryptionKey(buffer.AsSpan(0, KeySize).ToArray());
            problem = null;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>Wraps a tenant's data key: nonce || ciphertext || tag, bound to the tenant and this KEK's id.</summary>
    /// <param name="tenant">The tenant the data key belongs to.</param>
    /// <param name="dataKey">The 32-byte data key.</param>
    /// <returns>The wrapped key (<see cref="WrappedSize"/> bytes).</returns>
    public byte[] Wrap(string tenant, ReadOnlySpan<byte> dataKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (dataKey.Length != KeySize)
        {
            throw new ArgumentException($"A data key is {KeySize} bytes.", nameof(dataKey));
        }

        var wrapped = new byte[WrappedSize];
        var nonce = wrapped.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        _aes.Encrypt(nonce, dataKey, wrapped.AsSpan(NonceSize, KeySize), wrapped.AsSpan(NonceSize + KeySize, TagSize),
            WrapAssociatedData(tenant, Id));
        return wrapped;
    }

    /// <summary>Unwraps a tenant's data key into <paramref name="dataKey"/> (the caller zeroes it after use).</summary>
    /// <param name="tenant">The tenant the key must belong to.</param>
    /// <param name="kekId">The KEK id stored with the wrapped key.</param>
    /// <param name="wrapped">The wrapped key.</param>
    /// <param name="dataKey">Receives the 32-byte data key.</param>
    /// <exception cref="KeyEncryptionKeyMismatchException">The key was wrapped by another KEK.</exception>
    /// <exception cref="CryptographicException">The wrapped key was altered or belongs to another tenant.</exception>
    public void Unwrap(string tenant, string kekId, ReadOnlySpan<byte> wrapped, Span<byte> dataKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!string.Equals(kekId, Id, StringComparison.Ordinal))
        {
            throw new KeyEncryptionKeyMismatchException(kekId, Id);
        }

        if (wrapped.Length != WrappedSize || dataKey.Length != KeySize)
        {
            throw new CryptographicException("The wrapped data key has the wrong length.");
        }

        _aes.Decrypt(wrapped[..NonceSize], wrapped.Slice(NonceSize, KeySize), wrapped.Slice(NonceSize + KeySize, TagSize), dataKey,
            WrapAssociatedData(tenant, kekId));
    }

    private static byte[] WrapAssociatedData(string tenant, string kekId) =>
        [.. s_wrapLabel, 0, .. Encoding.UTF8.GetBytes(tenant), 0, .. Encoding.UTF8.GetBytes(kekId)];

    private bool _disposed;

    /// <summary>Zeroes the key.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_key);
    }

    /// <summary>True once disposed and zeroed (tests check the bytes are gone).</summary>
    internal bool IsZeroed => _disposed && _key.AsSpan().IndexOfAnyExcept((byte)0) < 0;
}
