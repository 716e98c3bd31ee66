namespace McpPlatform.Quota.Engine;

/// <summary>One budget window.</summary>
/// <param name="Used">Reserved and settled so far.</param>
/// <param name="Limit">The budget; null when unlimited.</param>
/// <param name="Remaining">What is left (never negative); null when unlimited.</param>
/// <param name="ResetsAt">When the window rolls over.</param>
public sealed record BudgetUsage(decimal Used, decimal? Limit, decimal? Remaining, DateTimeOffset ResetsAt)
{
    internal static BudgetUsage Of(decimal used, decimal? limit, DateTimeOffset resetsAt) =>
        new(used, limit, limit is { } l ? Math.Max(0, l - used) : null, resetsAt);
}
