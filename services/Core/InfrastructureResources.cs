namespace McpPlatform.Core;

/// <summary>Names of infrastructure resources and their databases.</summary>
public static class InfrastructureResources
{
    /// <summary>The PostgreSQL server resource.</summary>
    public const string Postgres = "postgres";

    /// <summary>The Redis resource (quota state, distributed cache tier).</summary>
    public const string Redis = "redis";

    /// <summary>The Qdrant resource, present when Qdrant runs (containers, binary or endpoint).</summary>
    public const string Qdrant = "qdrant";

    /// <summary>The worker that creates databases and applies migrations before services start.</summary>
    public const string DbMigrator = "db-migrator";

    /// <summary>Database of the identity service (directory, OpenIddict stores).</summary>
    public const string IdentityDatabase = "identitydb";

    /// <summary>Database of the tenant audit collector.</summary>
    public const string AuditDatabase = "auditdb";

    /// <summary>Database of the secrets service (wrapped data keys, encrypted values).</summary>
    public const string SecretsDatabase = "secretsdb";

    /// <summary>Database of tools-workspace (tenants' connections).</summary>
    public const string WorkspaceDatabase = "workspacedb";

    /// <summary>Every application database the migrator owns.</summary>
    public static readonly IReadOnlyList<string> Databases = [IdentityDatabase, AuditDatabase, SecretsDatabase, WorkspaceDatabase];
}
