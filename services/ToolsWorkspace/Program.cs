using McpPlatform.McpServer.Hosting;
using McpPlatform.ToolsWorkspace.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddToolsWorkspaceServices();

var app = builder.Build();
app.UsePlatformErrorHandling();
app.UseAuthentication();
app.UseAuthorization();
app.UseInvalidTextAnswers();
app.MapDefaultEndpoints();
app.MapToolsWorkspace();
app.Run();
