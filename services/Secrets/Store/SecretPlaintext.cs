using System.Security.Cryptography;

namespace McpPlatform.Secrets.Store;

/// <summary>
/// A decrypted value, held for one read only: the UTF-8 bytes are zeroed when it is disposed.
/// Never a <see cref="string"/> (strings cannot be zeroed and may be interned or copied by the GC).
/// </summary>
public sealed class SecretPlaintext : IDisposable
{
    private readonly byte[] _bytes;

    /// <summary>Takes ownership of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The value's UTF-8 bytes.</param>
    public SecretPlaintext(byte[] bytes) => _bytes = bytes;

    /// <summary>The value's UTF-8 bytes, valid until disposed.</summary>
    public ReadOnlySpan<byte> Utf8 => _bytes;

    /// <summary>Zeroes the bytes.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_bytes);
}
