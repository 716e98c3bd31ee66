namespace McpPlatform.Quota.Engine;

/// <summary>One admission to decide, already validated (the quota API's AdmissionValidation, or <see cref="InProcessQuotaAdmission"/>).</summary>
/// <param name="TenantId">The tenant (selects the policy).</param>
/// <param name="PrincipalId">The principal (per-principal caps and rate).</param>
/// <param name="Partition">The quota partition (budgets, partition caps and rate).</param>
/// <param name="Tool">The tool.</param>
/// <param name="Tokens">Estimated tokens.</param>
/// <param name="CostMicros">Estimated cost in micro-units.</param>
public readonly record struct AdmissionInput(string TenantId, string PrincipalId, string Partition, string Tool, long Tokens, long CostMicros);
