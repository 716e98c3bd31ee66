namespace McpPlatform.Quota.Engine;

/// <summary>Calls in flight against a cap.</summary>
/// <param name="InFlight">Leases held now.</param>
/// <param name="Limit">The cap; null when unlimited.</param>
public sealed record ConcurrencyUsage(long InFlight, long? Limit);
