using McpPlatform.DbMigrator;

var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults();
builder.AddDbMigrator();

await builder.Build().RunAsync();
