namespace McpPlatform.Identity.Tenancy;

/// <summary>The tenant claim and the three partition claims of a token.</summary>
public sealed record TenantClaims(string TenantId, string DataPartition, string QuotaPartition, string AuditPartition);
