namespace McpPlatform.Core.Quota;

/// <summary><c>POST /v1/leases</c>: ask to run one tool call.</summary>
/// <param name="Tenant">Who the call is for.</param>
/// <param name="Tool">The tool's name.</param>
/// <param name="Estimate">Expected usage, reserved against the budgets until release.</param>
public sealed record AdmitRequest(QuotaTenant? Tenant, string? Tool, QuotaUsage? Estimate);
