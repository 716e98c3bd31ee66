namespace McpPlatform.Core;

/// <summary>PostgreSQL roles of the audit database (docs/telemetry.md, "Row-level security").</summary>
public static class AuditDatabaseRoles
{
    /// <summary>Owns the schema and tables; cannot log in. Migrations run as the server admin and hand ownership to it.</summary>
    public const string Owner = "audit_owner";

    /// <summary>What <c>collector-tenant</c> connects as: not an owner, not a superuser, no BYPASSRLS.</summary>
    public const string App = "audit_app";

    /// <summary>AppHost parameter carrying the app role's password (dev default in AppHost/appsettings.Development.json).</summary>
    public const string AppPasswordParameter = "audit-app-password";

    /// <summary>The session setting RLS policies compare the tenant column with; set per transaction.</summary>
    public const string TenantSetting = "app.tenant";
}
