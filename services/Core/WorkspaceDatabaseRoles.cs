namespace McpPlatform.Core;

/// <summary>PostgreSQL roles of the workspace database (docs/workspace.md, "Storage").</summary>
public static class WorkspaceDatabaseRoles
{
    /// <summary>Owns the schema and tables; cannot log in. Migrations run as the server admin and hand ownership to it.</summary>
    public const string Owner = "workspace_owner";

    /// <summary>What <c>tools-workspace</c> connects as: not an owner, not a superuser, no BYPASSRLS.</summary>
    public const string App = "workspace_app";

    /// <summary>AppHost parameter carrying the app role's password (dev default in AppHost/appsettings.Development.json).</summary>
    public const string AppPasswordParameter = "workspace-app-password";

    /// <summary>The session setting RLS policies compare the tenant column with; set per transaction.</summary>
    public const string TenantSetting = "app.tenant";
}
