using McpPlatform.Partner.Apis;
using McpPlatform.Partner.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPartnerServices();

var app = builder.Build();
app.UsePlatformErrorHandling();
app.MapDefaultEndpoints();
app.MapPartnerApi();
app.Run();
