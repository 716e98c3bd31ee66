namespace McpPlatform.Core;

/// <summary>
/// The seeded demo directory (development only, docs/architecture.md "Demo data"): tenants, principals,
/// clients, and the AppHost parameter names that carry their secrets. Identifiers only: secrets
/// never appear in code, they come from AppHost parameters with documented dev defaults.
/// </summary>
public static class DemoDirectory
{
    /// <summary>Opaque, stable id of the <c>contoso</c> tenant (the value of <c>tenant_id</c>).</summary>
    public const string ContosoTenantId = "6f1c2a8e-3b7d-4c55-9a0e-1d2f3c4b5a61";

    /// <summary>Display slug of the Contoso tenant.</summary>
    public const string ContosoSlug = "contoso";

    /// <summary>Opaque, stable id of the <c>fabrikam</c> tenant.</summary>
    public const string FabrikamTenantId = "9b8e7d6c-5a4f-4e3d-8c2b-1a0f9e8d7c62";

    /// <summary>Display slug of the Fabrikam tenant.</summary>
    public const string FabrikamSlug = "fabrikam";

    /// <summary>Agent client of Contoso (client credentials).</summary>
    public const string ContosoAgentClientId = "contoso-agent";

    /// <summary>Agent client of Fabrikam (client credentials).</summary>
    public const string FabrikamAgentClientId = "fabrikam-agent";

    /// <summary>Contoso's user (tenant_admin) signing in with authorization code + PKCE.</summary>
    public const string ContosoUserName = "alice@contoso.example";

    /// <summary>Stable user id of <see cref="ContosoUserName"/> (the value of <c>sub</c>).</summary>
    public const string ContosoUserId = "a11ce000-0000-4000-8000-00000000c0c0";

    /// <summary>Fabrikam's user (tenant_admin).</summary>
    public const string FabrikamUserName = "bob@fabrikam.example";

    /// <summary>Stable user id of <see cref="FabrikamUserName"/>.</summary>
    public const string FabrikamUserId = "b0b00000-0000-4000-8000-00000000fab0";

    /// <summary>The platform operator (no tenant).</summary>
    public const string OperatorUserName = "operator@mcpplatform.example";

    /// <summary>Stable user id of <see cref="OperatorUserName"/>.</summary>
    public const string OperatorUserId = "0be7a70e-0000-4000-8000-000000000001";

    /// <summary>Public client for command-line MCP clients (authorization code + PKCE).</summary>
    public const string McpCliClientId = "mcp-cli";

    /// <summary>The loopback redirect URI registered for <see cref="McpCliClientId"/>.</summary>
    public const string McpCliRedirectUri = "http://localhost:7890/callback";

    /// <summary>Confidential client of the tools-knowledge MCP server (token exchange only).</summary>
    public const string ToolsKnowledgeClientId = "tools-knowledge";

    /// <summary>Confidential client of the tools-workspace MCP server (token exchange only).</summary>
    public const string ToolsWorkspaceClientId = "tools-workspace";

    /// <summary>
    /// identity's own client: it sends token-exchange audit records to collector-tenant (client
    /// credentials, <c>audit:write</c> only). collector-tenant accepts <c>token_exchange</c> records
    /// from this client alone.
    /// </summary>
    public const string IdentityClientId = "identity";

    /// <summary>
    /// The secrets service's own client: it sends secret-read audit records to collector-tenant
    /// (client credentials, <c>audit:write</c> only). collector-tenant accepts <c>secret_read</c>
    /// records from this client alone.
    /// </summary>
    public const string SecretsClientId = "secrets";

    /// <summary>The name of each demo tenant's seeded secret holding its <c>partner</c> API key.</summary>
    public const string PartnerSecretName = "partner-api-key";

    /// <summary>The name of each demo tenant's seeded connection to <c>partner</c>.</summary>
    public const string PartnerConnectionName = "partner";

    /// <summary>AppHost parameter names of the demo secrets (dev defaults in AppHost/appsettings.Development.json).</summary>
    public static class Parameters
    {
        /// <summary>Secret of <see cref="ContosoAgentClientId"/> (configuration <c>Seed:ContosoAgentSecret</c>).</summary>
        public const string ContosoAgentSecret = "contoso-agent-secret";

        /// <summary>Secret of <see cref="FabrikamAgentClientId"/> (<c>Seed:FabrikamAgentSecret</c>).</summary>
        public const string FabrikamAgentSecret = "fabrikam-agent-secret";

        /// <summary>Password of <see cref="ContosoUserName"/> (<c>Seed:ContosoUserPassword</c>).</summary>
        public const string ContosoUserPassword = "contoso-user-password";

        /// <summary>Password of <see cref="FabrikamUserName"/> (<c>Seed:FabrikamUserPassword</c>).</summary>
        public const string FabrikamUserPassword = "fabrikam-user-password";

        /// <summary>Password of <see cref="OperatorUserName"/> (<c>Seed:OperatorPassword</c>).</summary>
        public const string OperatorPassword = "operator-password";

        /// <summary>Secret of <see cref="ToolsKnowledgeClientId"/> (<c>Seed:ToolsKnowledgeClientSecret</c>).</summary>
        public const string ToolsKnowledgeClientSecret = "tools-knowledge-client-secret";

        /// <summary>Secret of <see cref="ToolsWorkspaceClientId"/> (<c>Seed:ToolsWorkspaceClientSecret</c>).</summary>
        public const string ToolsWorkspaceClientSecret = "tools-workspace-client-secret";

        /// <summary>Secret of <see cref="IdentityClientId"/> (<c>Seed:IdentityClientSecret</c>; identity's <c>Identity:ClientSecret</c>).</summary>
        public const string IdentityClientSecret = "identity-client-secret";

        /// <summary>Secret of <see cref="SecretsClientId"/> (<c>Seed:SecretsClientSecret</c>; the secrets service's <c>Identity:ClientSecret</c>).</summary>
        public const string SecretsClientSecret = "secrets-client-secret";

        /// <summary>Contoso's API key at <c>partner</c> (partner's <c>Partner:Keys</c>; the seeded <see cref="PartnerSecretName"/>).</summary>
        public const string PartnerContosoKey = "partner-contoso-key";

        /// <summary>Fabrikam's API key at <c>partner</c>.</summary>
        public const string PartnerFabrikamKey = "partner-fabrikam-key";
    }
}
