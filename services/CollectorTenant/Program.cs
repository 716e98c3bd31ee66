using McpPlatform.CollectorTenant.Apis;
using McpPlatform.CollectorTenant.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCollectorTenantServices();

var app = builder.Build();
app.UsePlatformErrorHandling();
app.MapDefaultEndpoints();
app.UseCollectorTenantPipeline();
app.MapIngestApi();
app.MapRecordsApi();
app.MapGrantsApi();
app.Run();
