using McpPlatform.ToolWorker.Protocol;

namespace McpPlatform.ToolWorker.Tests;

/// <summary>The limits the worker enforces itself, running out of memory, and a host that breaks the protocol.</summary>
public sealed class LimitAndProtocolTests
{
    [Fact]
    public async Task Recursion_OverTheLimit_FailsWithScriptError()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var done = await worker.RunAsync("function r(n) { return r(n + 1); }\nr(0)", limits: WorkerProcess.Limits(maxRecursion: 50));

        done.Error.ShouldBe(new WorkerError(ToolWorkerCodes.ScriptError, "RangeError: the script exceeded the recursion limit of 50 calls."));
    }

    [Fact]
    public async Task Recursion_ThroughCoercion_IsARangeErrorNotACrash()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var done = await worker.RunAsync("var o = { toString() { return '' + this; } };\n'' + o", limits: WorkerProcess.Limits(maxStatements: 0, maxRecursion: 0));

        done.Error!.Code.ShouldBe(ToolWorkerCodes.ScriptError);
        done.Error.Message.ShouldStartWith("RangeError");
    }

    [Fact]
    public async Task Statements_OverTheLimit_FailWithCpuLimit()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var done = await worker.RunAsync("console.log('before'); while (true) {}", limits: WorkerProcess.Limits(maxStatements: 10_000));

        done.Error.ShouldBe(new WorkerError(ToolWorkerCodes.CpuLimit, "The script ran more than 10000 statements."));
        done.Console.ShouldBe("before");
    }

    [Fact]
    public async Task Output_ConsoleOverTheLimit_FailsKeepingWhatFits()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var done = await worker.RunAsync("for (var i = 0; ; i++) console.log('line ' + i)", limits: WorkerProcess.Limits(maxOutputBytes: 20));

        done.Error!.Code.ShouldBe(ToolWorkerCodes.OutputLimit);
        done.Console.ShouldBe("line 0\nline 1\nline 2");
    }

    [Fact]
    public async Task Output_ValueAndConsoleOverTheLimit_FailsWithoutTheValue()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var done = await worker.RunAsync("console.log('12345'); 'x'.repeat(20)", limits: WorkerProcess.Limits(maxOutputBytes: 20));

        done.Error!.Code.ShouldBe(ToolWorkerCodes.OutputLimit);
        done.Value.ShouldBeNull();
        done.Console.ShouldBe("12345");
    }

    [Fact]
    public async Task Memory_BombUnderA64MiBHeap_FailsWithMemoryLimitAndExits3()
    {
        // DOTNET_GCHeapHardLimit (the host's override) wins over the 256 MiB in runtimeconfig.json.
        await using var worker = await WorkerProcess.StartAsync(new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x4000000" });

        var done = await worker.RunAsync(
            "console.log('start'); var keep = []; while (true) keep.push(new Array(100000).fill(keep.length));",
            limits: WorkerProcess.Limits(maxStatements: 0));

        done.Error.ShouldBe(new WorkerError(ToolWorkerCodes.MemoryLimit, "The script used more memory than the worker's limit allows."));
        done.Console.ShouldBe("start");
        (await worker.ExitCodeAsync()).ShouldBe(ToolWorkerExitCodes.OutOfMemory);
        worker.Stdout.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"type":"launch"}""")]
    [InlineData("""{"type":"fetched","seq":1,"status":200}""")]
    [InlineData("""{"type":"run","id":"no script","limits":{"maxStatements":0,"maxRecursion":10,"maxOutputBytes":10,"maxFetches":0}}""")]
    public async Task Protocol_ViolationBetweenRuns_ExitsTwoWithoutWriting(string line)
    {
        await using var worker = await WorkerProcess.StartAsync();

        await worker.WriteLineAsync(line);

        (await worker.ExitCodeAsync()).ShouldBe(ToolWorkerExitCodes.ProtocolError);
        worker.Stdout.ShouldBe(["""{"type":"ready"}"""]);
    }

    [Fact]
    public async Task Protocol_WrongSeqDuringAFetch_ExitsTwoWithoutWriting()
    {
        await using var worker = await WorkerProcess.StartAsync();
        await worker.RunAsync("http.fetch('a', '/')");

        await worker.SendAsync(new HostMessage("fetched", Seq: 7, Status: 200));

        (await worker.ExitCodeAsync()).ShouldBe(ToolWorkerExitCodes.ProtocolError);
        worker.Stdout.Count.ShouldBe(2);
    }
}
