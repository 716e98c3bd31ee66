namespace McpPlatform.Quota.Engine;

/// <summary>Usage of one partition now, with the limits that apply.</summary>
/// <param name="TenantId">The tenant whose policy applies.</param>
/// <param name="Partition">The quota partition.</param>
/// <param name="At">When it was read.</param>
/// <param name="Tier">The tenant's tier.</param>
/// <param name="Concurrency">Calls in flight.</param>
/// <param name="TokensHour">Tokens this UTC hour.</param>
/// <param name="TokensDay">Tokens this UTC day.</param>
/// <param name="CostHour">Cost this UTC hour.</param>
/// <param name="CostDay">Cost this UTC day.</param>
public sealed record UsageReport(
    string TenantId, string Partition, DateTimeOffset At, string Tier,
    ConcurrencyUsage Concurrency, BudgetUsage TokensHour, BudgetUsage TokensDay, BudgetUsage CostHour, BudgetUsage CostDay);
