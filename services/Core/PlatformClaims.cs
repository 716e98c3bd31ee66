namespace McpPlatform.Core;

/// <summary>Claim names in platform tokens (ARCHITECTURE.md, shared contracts: fixed).</summary>
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

/// <summary>Values of <see cref="PlatformClaims.PrincipalType"/>.</summary>
public static class PrincipalTypes
{
    /// <summary>A person signed in through authorization code + PKCE.</summary>
    public const string User = "user";

    /// <summary>An agent: an OAuth client bound to one tenant, using client credentials.</summary>
    public const string Agent = "agent";
}

/// <summary>Directory roles.</summary>
public static class PlatformRoles
{
    /// <summary>Member of a tenant.</summary>
    public const string TenantMember = "tenant_member";

    /// <summary>Administrator of a tenant.</summary>
    public const string TenantAdmin = "tenant_admin";

    /// <summary>Platform operator (no tenant data by default).</summary>
    public const string Operator = "platform_operator";
}

/// <summary>OAuth scopes the platform's resources require.</summary>
public static class PlatformScopes
{
    /// <summary>List and call tools on the MCP servers.</summary>
    public const string McpTools = "mcp:tools";

    /// <summary>Call the downstream API (granted only through token exchange).</summary>
    public const string DownstreamApi = "downstream:api";

    /// <summary>Ask <c>quota</c> for admission and release leases (MCP servers' own client credentials only).</summary>
    public const string QuotaAdmit = "quota:admit";

    /// <summary>Read quota usage: a tenant admin for their own tenant, the operator for any.</summary>
    public const string QuotaRead = "quota:read";

    /// <summary>Change a tenant's quota limits (operator only).</summary>
    public const string QuotaAdmin = "quota:admin";

    /// <summary>Send audit records to <c>collector-tenant</c> (MCP servers' own client credentials only).</summary>
    public const string AuditWrite = "audit:write";

    /// <summary>Read audit records: tenant admins and members their tenant's, operators only under a grant.</summary>
    public const string AuditRead = "audit:read";
}

/// <summary>MCP request conventions of the platform.</summary>
public static class McpConventions
{
    /// <summary>The <c>_meta</c> key a client may send with its own invocation id.</summary>
    public const string InvocationIdMetaKey = "io.mcpplatform/invocation-id";

    /// <summary>The path MCP servers serve Streamable HTTP on.</summary>
    public const string Path = "/mcp";
}

/// <summary>RFC 8693 token exchange constants and the platform's limits on it.</summary>
public static class TokenExchange
{
    /// <summary>The grant type.</summary>
    public const string GrantType = "urn:ietf:params:oauth:grant-type:token-exchange";

    /// <summary>The subject/requested token type for access tokens.</summary>
    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    /// <summary>Upper bound on an exchanged token's lifetime.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    /// <summary>How many nested <c>act</c> claims an exchanged token may carry.</summary>
    public const int MaxActorChainDepth = 2;

    /// <summary>Request parameter an actor uses to pass the invocation id.</summary>
    public const string InvocationIdParameter = "invocation_id";
}
