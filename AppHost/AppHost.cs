using McpPlatform.AppHost;
using McpPlatform.AppHost.Infrastructure;
using McpPlatform.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = builder.AddPlatformInfrastructure();

// Platform:InfrastructureOnly=true starts PostgreSQL, Redis and the vector store alone, for
// running one service from an IDE against them.
if (builder.Configuration.GetValue<bool>("Platform:InfrastructureOnly"))
{
    builder.Build().Run();
    return;
}

// Demo directory secrets (development defaults in appsettings.Development.json; deployments
// are prompted for them). They reach the migrator's seed step and the servers' own clients.
var contosoAgentSecret = builder.AddParameter(DemoDirectory.Parameters.ContosoAgentSecret, secret: true);
var fabrikamAgentSecret = builder.AddParameter(DemoDirectory.Parameters.FabrikamAgentSecret, secret: true);
var contosoUserPassword = builder.AddParameter(DemoDirectory.Parameters.ContosoUserPassword, secret: true);
var fabrikamUserPassword = builder.AddParameter(DemoDirectory.Parameters.FabrikamUserPassword, secret: true);
var operatorPassword = builder.AddParameter(DemoDirectory.Parameters.OperatorPassword, secret: true);
var toolsKnowledgeSecret = builder.AddParameter(DemoDirectory.Parameters.ToolsKnowledgeClientSecret, secret: true);
var toolsWorkspaceSecret = builder.AddParameter(DemoDirectory.Parameters.ToolsWorkspaceClientSecret, secret: true);
// identity's own client, with which it sends token-exchange audit records to collector-tenant.
var identitySecret = builder.AddParameter(DemoDirectory.Parameters.IdentityClientSecret, secret: true);
// The audit database's app role: what collector-tenant logs in as (docs/telemetry.md, RLS design).
var auditAppPassword = builder.AddParameter(AuditDatabaseRoles.AppPasswordParameter, secret: true);
// The secrets service: its database's app role, its key-encryption key (base64 of 32 bytes; never
// given to any other process) and its own client, with which it sends its audit records.
var secretsAppPassword = builder.AddSecretParameter(SecretsDatabaseRoles.AppPasswordParameter);
var secretsKeyEncryptionKey = builder.AddSecretParameter(SecretsDatabaseRoles.KeyEncryptionKeyParameter);
var secretsClientSecret = builder.AddSecretParameter(DemoDirectory.Parameters.SecretsClientSecret);
// The workspace database's app role: what tools-workspace logs in as (RLS binds it, as for audit).
var workspaceAppPassword = builder.AddParameter(WorkspaceDatabaseRoles.AppPasswordParameter, secret: true);
// The partner sample's API keys, one per demo tenant (the seeded secrets hold the same values).
var partnerContosoKey = builder.AddParameter(DemoDirectory.Parameters.PartnerContosoKey, secret: true);
var partnerFabrikamKey = builder.AddParameter(DemoDirectory.Parameters.PartnerFabrikamKey, secret: true);

var identityDatabase = infrastructure.Databases[InfrastructureResources.IdentityDatabase];

// collector-platform receives every service's telemetry (PlatformServiceExtensions points them at
// it), checks it against the tenant-free rule and forwards it to the dashboard. Known tenant and
// principal values let it recognise leaks. It never keeps batches as received here: only the test
// fixture turns that view on (docs/telemetry.md).
var collectorPlatform = builder.AddPlatformService<Projects.McpPlatform_CollectorPlatform>(PlatformServices.CollectorPlatform);
if (builder.Environment.IsDevelopment())
{
    string[] knownValues =
    [
        DemoDirectory.ContosoTenantId, DemoDirectory.ContosoSlug, DemoDirectory.ContosoAgentClientId,
        DemoDirectory.ContosoUserId, DemoDirectory.ContosoUserName, DemoDirectory.FabrikamTenantId,
        DemoDirectory.FabrikamSlug, DemoDirectory.FabrikamAgentClientId, DemoDirectory.FabrikamUserId,
        DemoDirectory.FabrikamUserName,
    ];
    for (var i = 0; i < knownValues.Length; i++)
    {
        collectorPlatform.WithEnvironment($"CollectorPlatform__KnownTenantValues__{i}", knownValues[i]);
    }

}

var migrator = builder.AddProject<Projects.McpPlatform_DbMigrator>(InfrastructureResources.DbMigrator)
    .WithReference(infrastructure.Postgres)
    .WaitFor(infrastructure.Postgres)
    .WithEnvironment("Seed__Enabled", builder.Environment.IsDevelopment() ? "true" : "false")
    .WithEnvironment("Seed__ContosoAgentSecret", contosoAgentSecret)
    .WithEnvironment("Seed__FabrikamAgentSecret", fabrikamAgentSecret)
    .WithEnvironment("Seed__ContosoUserPassword", contosoUserPassword)
    .WithEnvironment("Seed__FabrikamUserPassword", fabrikamUserPassword)
    .WithEnvironment("Seed__OperatorPassword", operatorPassword)
    .WithEnvironment("Seed__ToolsKnowledgeClientSecret", toolsKnowledgeSecret)
    .WithEnvironment("Seed__ToolsWorkspaceClientSecret", toolsWorkspaceSecret)
    .WithEnvironment("Seed__IdentityClientSecret", identitySecret)
    .WithEnvironment("Seed__SecretsClientSecret", secretsClientSecret)
    .WithEnvironment("Audit__AppPassword", auditAppPassword)
    .WithEnvironment("Secrets__AppPassword", secretsAppPassword)
    .WithEnvironment("Workspace__AppPassword", workspaceAppPassword);

// The platform policy document (docs/policy.md): tenancy, tiers and tenants, tools, credentials,
// data and telemetry in one file versioned with the deployment. This is the one place that names
// it; identity (tenancy, pinned on first start) and quota (limits) read and watch it.
// Policy:Path in the AppHost's configuration points the platform at another document.
var policyPath = builder.Configuration[PlatformPolicyFile.ConfigurationKey] is { Length: > 0 } configuredPolicy
    ? Path.GetFullPath(configuredPolicy)
    : Path.Combine(builder.AppHostDirectory, PlatformPolicyFile.AppHostRelativePath);

var identity = builder.AddPlatformService<Projects.McpPlatform_Identity>(PlatformServices.Identity)
    .WithReference(identityDatabase)
    .WaitForCompletion(migrator)
    .WithEnvironment(PlatformPolicyFile.EnvironmentVariable, policyPath)
    .WithEnvironment("Identity__ClientSecret", identitySecret)
    .WithAuditSpool(builder, PlatformServices.Identity);

// collector-tenant logs in as the audit app role, never as the server admin: the role is not the
// tables' owner and not a superuser, so row-level security binds it (it refuses to start otherwise).
// The later Username/Password override the admin's in the database's connection string.
var auditDatabase = infrastructure.Databases[InfrastructureResources.AuditDatabase];
var collectorTenant = builder.AddPlatformService<Projects.McpPlatform_CollectorTenant>(PlatformServices.CollectorTenant)
    .WithEnvironment($"ConnectionStrings__{InfrastructureResources.AuditDatabase}", ReferenceExpression.Create(
        $"{auditDatabase.Resource.ConnectionStringExpression};Username={AuditDatabaseRoles.App};Password={auditAppPassword.Resource}"))
    .WaitForCompletion(migrator)
    .WithReference(identity)
    .WaitFor(identity);
// identity audits token exchanges into the tenant trail through its spool. It must not wait for
// collector-tenant: the collector validates tokens from identity (a start-up cycle otherwise), and
// the spool holds the records until the collector answers.
identity.WithEnvironment("Audit__BaseAddress", collectorTenant.GetEndpoint("http"));
if (builder.Environment.IsDevelopment())
{
    // Only tenants with an audit policy may open a trail; the demo tenants get the defaults.
    foreach (var tenantId in new[] { DemoDirectory.ContosoTenantId, DemoDirectory.FabrikamTenantId })
    {
        collectorTenant.WithEnvironment($"AuditPolicy__Tenants__{tenantId}__RetentionDays", "90");
    }
}

var quota = builder.AddPlatformService<Projects.McpPlatform_Quota>(PlatformServices.Quota)
    .WithEnvironment(PlatformPolicyFile.EnvironmentVariable, policyPath)
    .WithReference(infrastructure.Redis)
    .WaitFor(infrastructure.Redis)
    .WithReference(identity)
    .WaitFor(identity);

var downstream = builder.AddPlatformService<Projects.McpPlatform_Downstream>(PlatformServices.Downstream)
    .WithReference(identity)
    .WaitFor(identity);

// A stand-in third-party API with per-tenant API keys: what tools-workspace's connections call.
builder.AddPlatformService<Projects.McpPlatform_Partner>(PlatformServices.Partner)
    .WithEnvironment($"Partner__Keys__{DemoDirectory.ContosoSlug}", partnerContosoKey)
    .WithEnvironment($"Partner__Keys__{DemoDirectory.FabrikamSlug}", partnerFabrikamKey);

// tools-knowledge admits calls in-process against Redis (docs/decisions/005) with the policy
// quota publishes there, so it waits for quota; quota's HTTP admission stays for other servers.
builder.AddPlatformService<Projects.McpPlatform_ToolsKnowledge>(PlatformServices.ToolsKnowledge)
    .WithReference(infrastructure.Redis)
    .WaitFor(infrastructure.Redis)
    .WithReference(identity)
    .WaitFor(identity)
    .WithReference(downstream)
    .WaitFor(downstream)
    .WithReference(quota)
    .WaitFor(quota)
    .WithEnvironment("Identity__ClientSecret", toolsKnowledgeSecret)
    // Audit records reach collector-tenant through a local spool; tools-knowledge does not wait
    // for the collector, so an audit outage never stops tool calls (docs/telemetry.md).
    .WithReference(collectorTenant)
    .WithAuditSpool(builder, PlatformServices.ToolsKnowledge)
    .WithKnowledgeStore(builder, infrastructure)
    .WithTenantCache(builder);

// secrets logs in as its database's app role (RLS binds it; it refuses to start otherwise) and
// sends its audit records (secret reads and changes) through its own spool, without waiting for
// collector-tenant, like the MCP servers.
var secretsDatabase = infrastructure.Databases[InfrastructureResources.SecretsDatabase];
var secrets = builder.AddPlatformService<Projects.McpPlatform_Secrets>(PlatformServices.Secrets)
    .WithEnvironment($"ConnectionStrings__{InfrastructureResources.SecretsDatabase}", ReferenceExpression.Create(
        $"{secretsDatabase.Resource.ConnectionStringExpression};Username={SecretsDatabaseRoles.App};Password={secretsAppPassword.Resource}"))
    .WaitForCompletion(migrator)
    .WithReference(identity)
    .WaitFor(identity)
    .WithEnvironment("Secrets__KeyEncryptionKey", secretsKeyEncryptionKey)
    .WithEnvironment("Identity__ClientSecret", secretsClientSecret)
    .WithReference(collectorTenant)
    .WithAuditSpool(builder, PlatformServices.Secrets);
if (builder.Environment.IsDevelopment())
{
    // The Development seed: each demo tenant's partner key as its secret partner-api-key.
    secrets.WithEnvironment($"Seed__PartnerKeys__{DemoDirectory.ContosoTenantId}", partnerContosoKey)
        .WithEnvironment($"Seed__PartnerKeys__{DemoDirectory.FabrikamTenantId}", partnerFabrikamKey);
}

// tools-workspace: tenants' HTTP connections, called with a credential read from secrets for
// each invocation (docs/workspace.md). It logs in to its database as the app role, admits calls
// through quota's HTTP API, and audits through its spool like tools-knowledge.
var workspaceDatabase = infrastructure.Databases[InfrastructureResources.WorkspaceDatabase];
var toolsWorkspace = builder.AddPlatformService<Projects.McpPlatform_ToolsWorkspace>(PlatformServices.ToolsWorkspace)
    .WithEnvironment($"ConnectionStrings__{InfrastructureResources.WorkspaceDatabase}", ReferenceExpression.Create(
        $"{workspaceDatabase.Resource.ConnectionStringExpression};Username={WorkspaceDatabaseRoles.App};Password={workspaceAppPassword.Resource}"))
    .WaitForCompletion(migrator)
    .WithReference(identity)
    .WaitFor(identity)
    .WithReference(quota)
    .WaitFor(quota)
    .WithEnvironment("Identity__ClientSecret", toolsWorkspaceSecret)
    .WithReference(collectorTenant)
    .WithAuditSpool(builder, PlatformServices.ToolsWorkspace);
if (builder.Environment.IsDevelopment())
{
    // The egress allow-list: in Development, the partner sample the demo connections point at.
    toolsWorkspace.WithEnvironment("Workspace__Egress__AllowedOrigins__0", PlatformServices.Partner.LocalOrigin);
}

builder.Build().Run();
