using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpPlatform.Core;

namespace McpPlatform.McpServer.Tests.Pipeline;

/// <summary>
/// Past capacity an MCP server sheds: a request that cannot get one of
/// <c>Mcp:Overload:MaxConcurrentRequests</c> within <c>MaxQueueMilliseconds</c> gets 503 with
/// <c>Retry-After</c> and <c>server.overloaded</c>, instead of queueing behind the calls running.
/// </summary>
public sealed class RequestSheddingTests(RequestSheddingTests.OneSlotServer server) : IClassFixture<RequestSheddingTests.OneSlotServer>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AtCapacity_NextRequestIsShedWith503RetryAfter_SlotFree_ServedAgain()
    {
        using var http = server.CreateHttpClient();
        var bearer = server.Token(PipelineServer.FreeTenant);
        var holding = CallAsync(http, bearer, PipelineTestTools.Hold);
        await PipelineServer.WaitUntilAsync(() => Task.FromResult(server.Runs.Of(PipelineTestTools.Hold) == 1), "the holding call to run");
        var ranBefore = server.Runs.Of(PipelineTestTools.WhoAmI);

        using (var shed = await CallAsync(http, bearer, PipelineTestTools.WhoAmI))
        {
            shed.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            shed.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
            shed.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
            using var problem = JsonDocument.Parse(await shed.Content.ReadAsStringAsync(Token));
            problem.RootElement.GetProperty("code").GetString().ShouldBe("server.overloaded");
        }

        server.Runs.Of(PipelineTestTools.WhoAmI).ShouldBe(ranBefore, "a shed request never reaches the tool");

        // Shedding runs ahead of token validation, so a flood costs no signature checks: a
        // request with a token that would get 401 is shed all the same while the slot is held.
        using (var unvalidated = await CallAsync(http, "not-a-token", PipelineTestTools.WhoAmI))
        {
            unvalidated.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        }

        server.Runs.Gate.SetResult();
        using (var held = await holding)
        {
            held.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var served = await CallAsync(http, bearer, PipelineTestTools.WhoAmI);
        served.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await served.Content.ReadAsStringAsync(Token)).ShouldContain("\"result\"");
    }

    private static async Task<HttpResponseMessage> CallAsync(HttpClient http, string bearer, string tool)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, McpConventions.Path)
        {
            Content = new StringContent(
                JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method = "tools/call", @params = new { name = tool, arguments = new { } } }),
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await http.SendAsync(request, Token);
    }

    /// <summary>A pipeline server with one request slot and a 100 ms queue.</summary>
    public sealed class OneSlotServer() : PipelineServer(
        Path.Combine(Path.GetTempPath(), $"pipeline-test-spool-{Guid.NewGuid():N}"),
        new Dictionary<string, string?> { ["Mcp:Overload:MaxConcurrentRequests"] = "1", ["Mcp:Overload:MaxQueueMilliseconds"] = "100" });
}
