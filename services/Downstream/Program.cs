using McpPlatform.Downstream.Apis;
using McpPlatform.Downstream.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDownstreamServices();

var app = builder.Build();
app.UsePlatformErrorHandling();
app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();
app.MapEchoApi();
app.Run();
