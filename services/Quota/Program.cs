using McpPlatform.Quota.Apis;
using McpPlatform.Quota.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddQuotaServices();

var app = builder.Build();
app.UsePlatformErrorHandling();
app.MapDefaultEndpoints();
app.UseQuotaPipeline();
app.MapAdmissionApi();
app.MapUsageApi();
app.MapAdminApi();
app.Run();
