using System.Text.Json;
using McpPlatform.ToolWorker.Protocol;

namespace McpPlatform.ToolWorker.Tests;

/// <summary>What a run returns: value, console, input, errors with their place, isolation between runs.</summary>
public sealed class ScriptRunTests
{
    [Fact]
    public async Task Run_ValueAndConsole_ReturnsBoth()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var done = await worker.RunAsync("console.log('a', 1, { b: [true] }, undefined, function () {});\nconsole.error('e');\n({ sum: 1 + 1 })", id: "inv-7");

        done.Type.ShouldBe("done");
        done.Id.ShouldBe("inv-7");
        done.Ok.ShouldBe(true);
        done.Value!.Value.GetRawText().ShouldBe("""{"sum":2}""");
        done.Console.ShouldBe("a 1 {\"b\":[true]} undefined function\ne");
        done.Error.ShouldBeNull();
    }

    [Fact]
    public async Task Run_UndefinedValueAndNoConsole_OmitsBoth()
    {
        await using var worker = await WorkerProcess.StartAsync();

        await worker.RunAsync("var unused = 1;");

        worker.Stdout[^1].ShouldBe("""{"type":"done","id":"run-1","ok":true}""");
    }

    [Fact]
    public async Task Run_Input_IsTheParsedJsonAndUndefinedWhenAbsent()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var given = await worker.RunAsync("input.items.map(i => i * 2).concat([input.name])", """{"items":[1,2],"name":"é"}""");
        var absent = await worker.RunAsync("typeof input");

        given.Value!.Value.GetRawText().ShouldBe("""[2,4,"é"]""");
        absent.Value!.Value.GetString().ShouldBe("undefined");
    }

    [Fact]
    public async Task Run_SyntaxError_FailsWithLineAndColumn()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var done = await worker.RunAsync("var a = 1;\nvar b = ;");

        done.Ok.ShouldBe(false);
        done.Error.ShouldBe(new WorkerError(ToolWorkerCodes.ScriptError, "SyntaxError: Unexpected token ';'", 2, 9));
    }

    [Fact]
    public async Task Run_UncaughtError_FailsWithNameMessageAndLine()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var typeError = await worker.RunAsync("var o = null;\n\no.x");
        var thrownString = await worker.RunAsync("throw 'plain text'");

        typeError.Error!.Code.ShouldBe(ToolWorkerCodes.ScriptError);
        typeError.Error.Message.ShouldBe("TypeError: Cannot read properties of null (reading 'x')");
        typeError.Error.Line.ShouldBe(3);
        thrownString.Error!.Message.ShouldBe("plain text");
    }

    [Fact]
    public async Task Run_HugeErrorMessage_IsCappedAndCarriesNoDotnetDetail()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var done = await worker.RunAsync("throw new Error('x'.repeat(5000))");

        done.Error!.Message.Length.ShouldBeLessThanOrEqualTo(1000);
        done.Error.Message.ShouldStartWith("Error: xxx");
        done.Error.Message.ShouldNotContain("Exception");
    }

    [Fact]
    public async Task Runs_InOneProcess_DoNotShareGlobals()
    {
        await using var worker = await WorkerProcess.StartAsync();

        (await worker.RunAsync("var x = 1; globalThis.y = 2; Array.prototype.z = 3; x", id: "first")).Value!.Value.GetInt32().ShouldBe(1);
        var second = await worker.RunAsync("[typeof x, typeof y, typeof [].z].join()", id: "second");

        second.Id.ShouldBe("second");
        second.Value!.Value.GetString().ShouldBe("undefined,undefined,undefined");
    }

    [Fact]
    public async Task Run_ValueNestedDeeperThanTheHostReads_FailsAsScriptError()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var shallow = await worker.RunAsync("var a = []; for (var i = 0; i < 59; i++) a = [a]; a");
        var deep = await worker.RunAsync("var a = []; for (var i = 0; i < 100; i++) a = [a]; a");

        JsonSerializer.Serialize(shallow, ToolWorkerJsonContext.Default.WorkerMessage).ShouldContain(new string('[', 60));
        deep.Error!.Message.ShouldBe("The script's value is nested more than 60 levels deep.");
    }

    [Fact]
    public async Task Run_PromiseCompletionValue_IsNotAwaited()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var done = await worker.RunAsync("(async () => 42)()");

        done.Ok.ShouldBe(true);
        done.Value!.Value.GetRawText().ShouldBe("{}");
    }

    [Fact]
    public async Task Globals_HaveNoTimersAndNoHostApisBeyondConsoleHttpInput()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var done = await worker.RunAsync(
            "['setTimeout','setInterval','setImmediate','queueMicrotask','fetch','require','process','importScripts','System','importNamespace']"
            + ".filter(n => typeof globalThis[n] !== 'undefined')");

        done.Value!.Value.GetRawText().ShouldBe("[]");
    }

    [Fact]
    public async Task Console_InvalidSurrogatesAndHugeStrings_DoNotCrashTheWorker()
    {
        await using var worker = await WorkerProcess.StartAsync();

        var lone = await worker.RunAsync("console.log('a\\ud800b', '\\udc00'); console.log({ k: '\\ud83d' }); ['\\ud800', '\\ud83d\\ude00']");
        var huge = await worker.RunAsync("console.log('x'.repeat(50 * 1024 * 1024)); 1");
        var after = await worker.RunAsync("'still here'");

        lone.Ok.ShouldBe(true);
        lone.Console.ShouldBe("a\uFFFDb \uFFFD\n{\"k\":\"\\ud83d\"}");
        lone.Value!.Value.EnumerateArray().Select(item => item.GetString()).ShouldBe(["\uFFFD", "😀"]);
        huge.Error!.Code.ShouldBe(ToolWorkerCodes.OutputLimit);
        after.Value!.Value.GetString().ShouldBe("still here");
    }

    [Fact]
    public async Task Stdin_Closed_ExitsZeroHavingWrittenOnlyProtocolLines()
    {
        await using var worker = await WorkerProcess.StartAsync();
        await worker.RunAsync("console.log('not on stdout'); 1");

        (await worker.ExitCodeAsync(closeStdin: true)).ShouldBe(0);
        worker.Stdout.Count.ShouldBe(2);
        worker.Stdout.ShouldAllBe(line => JsonDocument.Parse(line, default).RootElement.GetProperty("type").GetString() != null);
        worker.Stderr.ShouldBeEmpty();
    }
}
