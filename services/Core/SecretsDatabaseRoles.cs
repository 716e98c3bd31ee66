namespace McpPlatform.Core;

/// <summary>PostgreSQL roles of the secrets database (docs/secrets.md, "Storage").</summary>
public static class SecretsDatabaseRoles
{
    /// <summary>Owns the schema and tables; cannot log in. Migrations run as the server admin and hand ownership to it.</summary>
    public const string Owner = "secrets_owner";

    /// <summary>What <c>secrets</c> connects as: not an owner, not a superuser, no BYPASSRLS.</summary>
    public const string App = "secrets_app";

    /// <summary>AppHost parameter carrying the app role's password (dev default in AppHost/appsettings.Development.json).</summary>
    public const string AppPasswordParameter = "secrets-app-password";

    /// <summary>AppHost parameter carrying the key-encryption key (base64 of 32 random bytes).</summary>
    public const string KeyEncryptionKeyParameter = "secrets-key-encryption-key";

    /// <summary>The session setting the RLS policies compare the tenant column with; set per transaction.</summary>
    public const string TenantSetting = "app.tenant";
}
