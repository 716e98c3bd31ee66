namespace McpPlatform.Quota.Engine;

/// <summary>Quota state could not be read or written in time.</summary>
/// <param name="message">What failed.</param>
/// <param name="inner">The Redis failure.</param>
public sealed class QuotaUnavailableException(string message, Exception inner) : Exception(message, inner);
