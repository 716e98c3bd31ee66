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

var identityDatabase = infrastructure.Databases[InfrastructureResources.IdentityDatabase];

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
    .WithEnvironment("Seed__ToolsWorkspaceClientSecret", toolsWorkspaceSecret);

// The tenancy model (Tenancy:Model, Tenancy:DataScope, …) is set once, in the AppHost's
// configuration, and pinned by identity on first start.
var tenancy = builder.Configuration.GetSection(TenancyOptions.SectionName);

var identity = builder.AddPlatformService<Projects.McpPlatform_Identity>(PlatformServices.Identity)
    .WithReference(identityDatabase)
    .WaitForCompletion(migrator)
    .WithEnvironment("Tenancy__Model", tenancy["Model"] ?? nameof(TenancyModel.Organisation))
    .WithEnvironment("Tenancy__DataScope", tenancy["DataScope"] ?? nameof(TenancyScope.Tenant))
    .WithEnvironment("Tenancy__QuotaScope", tenancy["QuotaScope"] ?? nameof(TenancyScope.Tenant))
    .WithEnvironment("Tenancy__AuditScope", tenancy["AuditScope"] ?? nameof(TenancyScope.Tenant));

var quota = builder.AddPlatformService<Projects.McpPlatform_Quota>(PlatformServices.Quota)
    .WithReference(infrastructure.Redis)
    .WaitFor(infrastructure.Redis)
    .WithReference(identity)
    .WaitFor(identity);

var downstream = builder.AddPlatformService<Projects.McpPlatform_Downstream>(PlatformServices.Downstream)
    .WithReference(identity)
    .WaitFor(identity);

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
    .WithKnowledgeStore(builder, infrastructure);

builder.Build().Run();
