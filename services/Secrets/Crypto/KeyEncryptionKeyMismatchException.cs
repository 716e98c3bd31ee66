namespace McpPlatform.Secrets.Crypto;

/// <summary>A data key was wrapped by a different key-encryption key than the one this service holds.</summary>
public sealed class KeyEncryptionKeyMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KeyEncryptionKeyMismatchException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public KeyEncryptionKeyMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public KeyEncryptionKeyMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Names both key ids (fingerprints, not keys).</summary>
    /// <param name="storedId">The id stored with the wrapped key.</param>
    /// <param name="heldId">The id of the key this service holds.</param>
    public KeyEncryptionKeyMismatchException(string storedId, string heldId)
        : base($"The data key was wrapped by key-encryption key '{storedId}'; this service holds '{heldId}'.")
    {
    }
}
