using McpPlatform.ToolWorker.Protocol;

namespace McpPlatform.ToolWorker.Tests;

/// <summary>http.fetch: a round trip through the host, the host's errors, the per-run cap, argument checks.</summary>
public sealed class FetchTests
{
    [Fact]
    public async Task Fetch_RoundTrip_ReturnsTheHostsResponse()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var fetch = await worker.RunAsync(
            "var r = http.fetch('crm', '/contacts?q=1', { method: 'post', body: { name: 'a' } });\n"
            + "({ status: r.status, type: r.contentType, truncated: r.truncated, name: r.json().name, body: r.body })");

        fetch.ShouldBe(new WorkerMessage("fetch", Seq: 1, Connection: "crm", Path: "/contacts?q=1", Method: "POST", Body: """{"name":"a"}"""));
        await worker.SendAsync(new HostMessage("fetched", Seq: 1, Status: 201, ContentType: "application/json", Body: """{"name":"Ada"}""", Truncated: false));
        var done = await worker.ReadAsync();

        done.Ok.ShouldBe(true);
        done.Value!.Value.GetRawText().ShouldBe("""{"status":201,"type":"application/json","truncated":false,"name":"Ada","body":"{\"name\":\"Ada\"}"}""");
    }

    [Fact]
    public async Task Fetch_DefaultsAndSequence_GetWithoutBodyNumberedPerRun()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var first = await worker.RunAsync("http.fetch('a', '/1'); http.fetch('a', '/2', { body: 'raw' }).status");
        await worker.SendAsync(new HostMessage("fetched", Seq: 1, Status: 200, Body: ""));
        var second = await worker.ReadAsync();
        await worker.SendAsync(new HostMessage("fetched", Seq: 2, Status: 204));
        var done = await worker.ReadAsync();

        first.ShouldBe(new WorkerMessage("fetch", Seq: 1, Connection: "a", Path: "/1", Method: "GET"));
        second.ShouldBe(new WorkerMessage("fetch", Seq: 2, Connection: "a", Path: "/2", Method: "GET", Body: "raw"));
        done.Value!.Value.GetInt32().ShouldBe(204);
    }

    [Fact]
    public async Task Fetch_HostError_IsCatchableWithCodeAndMessage()
    {
        await using var worker = await WorkerProcess.StartAsync();

        await worker.RunAsync("try { http.fetch('nope', '/') } catch (e) { [e instanceof Error, e.code, e.message] }");
        await worker.SendAsync(new HostMessage("fetched", Seq: 1, Error: new WorkerError("connection.not_found", "No connection named nope.")));
        var done = await worker.ReadAsync();

        done.Value!.Value.GetRawText().ShouldBe("""[true,"connection.not_found","No connection named nope."]""");
    }

    [Fact]
    public async Task Fetch_HostErrorUncaught_FailsTheRunWithTheHostsCode()
    {
        await using var worker = await WorkerProcess.StartAsync();

        await worker.RunAsync("1;\nhttp.fetch('nope', '/')");
        await worker.SendAsync(new HostMessage("fetched", Seq: 1, Error: new WorkerError("connection.not_found", "No connection named nope.")));
        var done = await worker.ReadAsync();

        done.Ok.ShouldBe(false);
        done.Error!.Code.ShouldBe("connection.not_found");
        done.Error.Message.ShouldBe("No connection named nope.");
        done.Error.Line.ShouldBe(2);
    }

    [Fact]
    public async Task Fetch_OverTheCap_ThrowsConnectionDeniedWithoutAskingTheHost()
    {
        await using var worker = await WorkerProcess.StartAsync();

        await worker.RunAsync("http.fetch('a', '/'); http.fetch('a', '/')", limits: WorkerProcess.Limits(maxFetches: 1));
        await worker.SendAsync(new HostMessage("fetched", Seq: 1, Status: 200, Body: "ok"));
        var done = await worker.ReadAsync();

        done.Type.ShouldBe("done");
        done.Error!.Code.ShouldBe("connection.denied");
        done.Error.Message.ShouldBe("The script may make at most 1 http.fetch calls.");
    }

    [Fact]
    public async Task Fetch_ForgedCodeOnAScriptError_IsAnOrdinaryScriptError()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var done = await worker.RunAsync("var e = new Error('fake'); e.code = 'connection.denied'; throw e");

        done.Error!.Code.ShouldBe(ToolWorkerCodes.ScriptError);
        done.Error.Message.ShouldBe("Error: fake");
    }

    [Fact]
    public async Task Fetch_NonStringArguments_ThrowTypeError()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var done = await worker.RunAsync("try { http.fetch(1, '/') } catch (e) { e instanceof TypeError }");

        done.Value!.Value.GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Fetch_JsonOfNonJsonBody_ThrowsACatchableSyntaxError()
    {
        await using var worker = await WorkerProcess.StartAsync();

        await worker.RunAsync("var r = http.fetch('a', '/'); try { r.json() } catch (e) { e.name }");
        await worker.SendAsync(new HostMessage("fetched", Seq: 1, Status: 200, ContentType: "text/plain", Body: "not json"));
        var done = await worker.ReadAsync();

        done.Value!.Value.GetString().ShouldBe("SyntaxError");
    }
}
