namespace McpPlatform.Core;

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

    /// <summary>Read platform telemetry views on <c>collector-platform</c> (operators only).</summary>
    public const string TelemetryRead = "telemetry:read";

    /// <summary>Create, rotate, delete and list a tenant's secrets (tenant admins; values are never returned).</summary>
    public const string SecretsWrite = "secrets:write";

    /// <summary>Read one secret value for one invocation (exchanged tokens of an allowed MCP server only).</summary>
    public const string SecretsRead = "secrets:read";

    /// <summary>Register and change a tenant's connections on <c>tools-workspace</c> (tenant admins).</summary>
    public const string WorkspaceAdmin = "workspace:admin";
}
