using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Mcp;

/// <summary>DNS-rebinding protection of the real tools-knowledge: foreign Origin 403, foreign Host 400, plain clients served.</summary>
public sealed class McpTransportSecurityTests(PlatformFixture platform)
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mcp_ForeignOrigin_403ProblemBeforeAuthentication()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);
        var token = await PlatformTokens.ContosoAgentAsync(Cancel);

        using var response = await SendAsync(token, request => request.Headers.TryAddWithoutValidation("Origin", "https://evil.example"));

        await ShouldBeProblemAsync(response, HttpStatusCode.Forbidden, "request.origin_forbidden");
    }

    [Fact]
    public async Task Mcp_NoOrigin_Served()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);
        var token = await PlatformTokens.ContosoAgentAsync(Cancel);

        using var response = await SendAsync(token, _ => { });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task Mcp_ForeignHost_400Problem()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);
        var token = await PlatformTokens.ContosoAgentAsync(Cancel);

        using var response = await SendAsync(token, request => request.Headers.Host = "evil.example");

        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "request.host_forbidden");
    }

    private static async Task<HttpResponseMessage> SendAsync(string bearer, Action<HttpRequestMessage> change)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, PlatformServices.ToolsKnowledge.LocalMcpResource)
        {
            Content = new StringContent(
                """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"tests","version":"1"}}}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        change(request);
        return await s_http.SendAsync(request, Cancel);
    }

    private static async Task ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        body.Length.ShouldBeLessThan(400, body);
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("code").GetString().ShouldBe(code);
    }
}
