using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpPlatform.Core;

namespace McpPlatform.McpServer.Tests.Pipeline;

/// <summary>
/// DNS-rebinding protection of every platform MCP server (MCP Streamable HTTP security warning):
/// a browser Origin outside Mcp:AllowedOrigins gets 403 before authentication, requests without
/// Origin (non-browser clients) are served, and a Host the service does not answer to gets 400.
/// </summary>
public sealed class McpTransportSecurityTests(PipelineServer server) : IClassFixture<PipelineServer>
{
    private const string Initialize = """
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("null")]
    [InlineData("https://console.example:8443")]
    [InlineData("http://console.example")]
    public async Task Post_ForeignOrigin_403ProblemEvenWithAValidToken(string origin)
    {
        using var response = await PostAsync(origin, server.Token(PipelineServer.FreeTenant));

        await ShouldBeProblemAsync(response, HttpStatusCode.Forbidden, "request.origin_forbidden");
        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task Post_ForeignOriginWithoutToken_403NotTheAuthenticationChallenge()
    {
        using var response = await PostAsync("https://evil.example", token: null);

        await ShouldBeProblemAsync(response, HttpStatusCode.Forbidden, "request.origin_forbidden");
        response.Headers.WwwAuthenticate.ShouldBeEmpty("rejected before authentication");
    }

    [Fact]
    public async Task Post_TwoOriginValues_403()
    {
        using var http = server.CreateHttpClient();
        using var request = InitializeRequest(server.Token(PipelineServer.FreeTenant));
        request.Headers.TryAddWithoutValidation("Origin", [PipelineServer.AllowedOrigin, "https://evil.example"]);

        using var response = await http.SendAsync(request, Token);

        await ShouldBeProblemAsync(response, HttpStatusCode.Forbidden, "request.origin_forbidden");
    }

    [Fact]
    public async Task ToolCall_AllowedOrigin_WorksWithCorsHeaders()
    {
        await using var client = await server.ConnectAsync(server.Token(PipelineServer.FreeTenant), Token, origin: PipelineServer.AllowedOrigin);

        var result = await client.CallToolAsync(PipelineTestTools.WhoAmI, cancellationToken: Token);
        result.IsError.ShouldNotBe(true);

        using var response = await PostAsync(PipelineServer.AllowedOrigin, server.Token(PipelineServer.FreeTenant));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([PipelineServer.AllowedOrigin]);
    }

    [Fact]
    public async Task ToolCall_NoOrigin_Works()
    {
        await using var client = await server.ConnectAsync(server.Token(PipelineServer.FreeTenant), Token);

        var result = await client.CallToolAsync(PipelineTestTools.WhoAmI, cancellationToken: Token);

        result.IsError.ShouldNotBe(true);
    }

    [Fact]
    public async Task Preflight_AllowedOrigin_204WithCorsHeaders_ForeignOrigin_403()
    {
        using var http = server.CreateHttpClient();

        using var allowed = await http.SendAsync(Preflight(PipelineServer.AllowedOrigin), Token);
        using var foreign = await http.SendAsync(Preflight("https://evil.example"), Token);

        allowed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        allowed.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([PipelineServer.AllowedOrigin]);
        string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Headers")).ShouldContain("authorization", Case.Insensitive);
        await ShouldBeProblemAsync(foreign, HttpStatusCode.Forbidden, "request.origin_forbidden");
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("attacker.example:5290")]
    public async Task Request_WrongHost_400Problem(string host)
    {
        using var http = server.CreateHttpClient();
        using var request = InitializeRequest(server.Token(PipelineServer.FreeTenant));
        request.Headers.Host = host;

        using var response = await http.SendAsync(request, Token);

        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "request.host_forbidden");
    }

    [Theory]
    [InlineData("localhost:5290")]
    [InlineData("127.0.0.1")]
    [InlineData("tools-pipeline-test")]
    public async Task Request_OwnHostNames_Served(string host)
    {
        using var http = server.CreateHttpClient();
        using var request = InitializeRequest(server.Token(PipelineServer.FreeTenant));
        request.Headers.Host = host;

        using var response = await http.SendAsync(request, Token);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static HttpRequestMessage InitializeRequest(string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, McpConventions.Path)
        {
            Content = new StringContent(Initialize, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, McpConventions.Path);
        request.Headers.TryAddWithoutValidation("Origin", origin);
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "POST");
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "authorization, content-type, mcp-protocol-version");
        return request;
    }

    private async Task<HttpResponseMessage> PostAsync(string origin, string? token)
    {
        using var http = server.CreateHttpClient();
        using var request = InitializeRequest(token);
        request.Headers.TryAddWithoutValidation("Origin", origin);
        return await http.SendAsync(request, Token);
    }

    private static async Task ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var body = await response.Content.ReadAsStringAsync(Token);
        body.Length.ShouldBeLessThan(400, body);
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("code").GetString().ShouldBe(code);
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe((int)status);
    }
}
