using McpPlatform.Secrets.Apis;
using McpPlatform.Secrets.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSecretsServices();

var app = builder.Build();
app.UsePlatformErrorHandling();
app.MapDefaultEndpoints();
app.UseSecretsPipeline();
app.MapSecretsApi();
app.MapSecretReadApi();
app.Run();
