using McpPlatform.Identity.Data;

namespace McpPlatform.Identity.Exchange;

/// <summary>The outcome: a target to issue for, or an OAuth error.</summary>
public sealed record ExchangeDecision(ProtectedResource? Target, string? Error, string? Description)
{
    public bool IsAllowed => Target is not null;

    public static ExchangeDecision Allow(ProtectedResource target) => new(target, null, null);

    public static ExchangeDecision Deny(string error, string description) => new(null, error, description);
}
