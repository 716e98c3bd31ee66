using McpPlatform.McpServer.Hosting;
using McpPlatform.ToolsKnowledge.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddToolsKnowledgeServices();

var app = builder.Build();
app.UsePlatformErrorHandling();
app.UseAuthentication();
app.UseAuthorization();
app.UseInvalidTextAnswers();
app.MapDefaultEndpoints();
app.MapToolsKnowledge();
app.Run();
