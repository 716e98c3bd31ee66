using McpPlatform.AppHost.Infrastructure;
using McpPlatform.Core;
using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = builder.AddPlatformInfrastructure();

// Platform:InfrastructureOnly=true starts PostgreSQL, Redis and the vector store alone, for
// running one service from an IDE against them.
if (builder.Configuration.GetValue<bool>("Platform:InfrastructureOnly"))
{
    builder.Build().Run();
    return;
}

var migrator = builder.AddProject<Projects.McpPlatform_DbMigrator>(InfrastructureResources.DbMigrator)
    .WithReference(infrastructure.Postgres)
    .WaitFor(infrastructure.Postgres);

builder.Build().Run();
