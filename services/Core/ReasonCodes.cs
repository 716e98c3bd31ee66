namespace McpPlatform.Core;

/// <summary>
/// The closed set of admission denial reason codes (docs/reason-codes.md). A denial carries
/// exactly one of these in <c>structuredContent.error.code</c>; adding a code is a contract
/// change and goes through an issue.
/// </summary>
public static class ReasonCodes
{
    /// <summary>The quota partition already has as many calls in flight as its cap allows.</summary>
    public const string ConcurrencyTenant = "quota.concurrency.tenant";

    /// <summary>The principal already has as many calls in flight as its cap allows.</summary>
    public const string ConcurrencyPrincipal = "quota.concurrency.principal";

    /// <summary>The request rate (token bucket) of the partition or the principal is exhausted.</summary>
    public const string Rate = "quota.rate";

    /// <summary>The partition's token budget for the current UTC hour cannot cover the estimate.</summary>
    public const string TokensHour = "budget.tokens.hour";

    /// <summary>The partition's token budget for the current UTC day cannot cover the estimate.</summary>
    public const string TokensDay = "budget.tokens.day";

    /// <summary>The partition's cost budget for the current UTC hour cannot cover the estimate.</summary>
    public const string CostHour = "budget.cost.hour";

    /// <summary>The partition's cost budget for the current UTC day cannot cover the estimate.</summary>
    public const string CostDay = "budget.cost.day";

    /// <summary>Admission could not be decided (quota state unreachable); the platform fails closed.</summary>
    public const string Unavailable = "quota.unavailable";

    /// <summary>Every code above, for checks that must cover all of them.</summary>
    public static readonly IReadOnlyList<string> All =
        [ConcurrencyTenant, ConcurrencyPrincipal, Rate, TokensHour, TokensDay, CostHour, CostDay, Unavailable];
}
