using McpPlatform.CollectorPlatform.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCollectorPlatformServices();

var app = builder.Build();
app.UsePlatformErrorHandling();
app.MapDefaultEndpoints();
app.MapCollectorPlatform();
app.Run();
