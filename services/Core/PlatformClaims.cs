namespace McpPlatform.Core;

/// <summary>Claim names in platform tokens (docs/architecture.md, shared contracts: fixed).</summary>
public static class PlatformClaims
{
    /// <summary>The tenant, opaque and stable; the unit the tenancy model isolates.</summary>
    public const string TenantId = "tenant_id";

    /// <summary>The principal: a user id or an agent's client id.</summary>
    public const string Subject = "sub";

    /// <summary><see cref="PrincipalTypes.User"/> or <see cref="PrincipalTypes.Agent"/>.</summary>
    public const string PrincipalType = "principal_type";

    /// <summary>Space-separated granted scopes.</summary>
    public const string Scope = "scope";

    /// <summary>The audience: the one resource the token is for.</summary>
    public const string Audience = "aud";

    /// <summary>On exchanged tokens: the tool invocation the downstream call belongs to.</summary>
    public const string InvocationId = "invocation_id";

    /// <summary>On exchanged tokens: <c>{"sub": "&lt;client id of the acting server&gt;"}</c> (RFC 8693 §4.1).</summary>
    public const string Actor = "act";

    /// <summary>Partition key for tenant data (vector collections, cache), per the tenancy model's data scope.</summary>
    public const string DataPartition = "data_partition";

    /// <summary>Partition key for quotas and budgets, per the tenancy model's quota scope.</summary>
    public const string QuotaPartition = "quota_partition";

    /// <summary>Partition key for the audit trail, per the tenancy model's audit scope.</summary>
    public const string AuditPartition = "audit_partition";

    /// <summary>Directory roles of the principal (<see cref="PlatformRoles"/>).</summary>
    public const string Role = "role";
}
