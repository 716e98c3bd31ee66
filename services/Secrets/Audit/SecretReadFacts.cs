namespace McpPlatform.Secrets.Audit;

/// <summary>What one read attempt was: never the value.</summary>
/// <param name="Name">The secret's name (validated).</param>
/// <param name="Tool">The tool the server named (validated).</param>
/// <param name="Actor">The acting server (<c>act.sub</c>), when the token has one.</param>
/// <param name="InvocationId">The token's <c>invocation_id</c>, when it has one.</param>
/// <param name="ReasonCode">Null when granted, else <c>secret.not_found</c> or <c>secret.denied</c>.</param>
/// <param name="Version">The version read, when granted.</param>
/// <param name="DurationMs">Wall time of the read.</param>
internal sealed record SecretReadFacts(string Name, string Tool, string? Actor, string? InvocationId, string? ReasonCode, int? Version, double DurationMs);
