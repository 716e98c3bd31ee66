using System.Security.Cryptography;

namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>
/// A credential for one invocation: the secret's bytes, owned by the call that fetched them and
/// zeroed when it disposes this (in a <c>finally</c>). Never cached, logged or returned.
/// </summary>
internal sealed class InvocationCredential : IDisposable
{
    private readonly byte[] _buffer;
    private readonly int _length;

    /// <summary>Takes ownership of <paramref name="buffer"/>; its first <paramref name="length"/> bytes are the value.</summary>
    public InvocationCredential(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    /// <summary>The value's UTF-8 bytes; empty once disposed.</summary>
    public ReadOnlySpan<byte> Value => _buffer.AsSpan(0, _length);

    /// <summary>The same bytes, for async code.</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    /// <summary>True once the buffer has been zeroed.</summary>
    public bool IsCleared { get; private set; }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_buffer);
        IsCleared = true;
    }
}
