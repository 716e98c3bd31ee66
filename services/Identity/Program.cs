using McpPlatform.Identity.Apis;
using McpPlatform.Identity.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIdentityServices();

var app = builder.Build();
app.UsePlatformErrorHandling();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapDefaultEndpoints();
app.MapAccountApi();
app.MapAuthorizationApi();
app.Run();
