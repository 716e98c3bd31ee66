namespace McpPlatform.McpServer.Caching;

/// <summary>An invalidation could not reach Redis.</summary>
public sealed class TenantCacheUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TenantCacheUnavailableException()
        : base("The tenant cache's Redis could not be reached.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public TenantCacheUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The Redis error.</param>
    public TenantCacheUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
