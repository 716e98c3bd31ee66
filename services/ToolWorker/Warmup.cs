using System.Text.Json;
using McpPlatform.ToolWorker.Protocol;

namespace McpPlatform.ToolWorker;

/// <summary>
/// One throwaway run before "ready", through the same code as a real one (parse a run line, JSON,
/// console, a call, a caught exception, the done line), so the first tenant run does not pay for JIT.
/// </summary>
internal static class Warmup
{
    private const string Line =
        """{"type":"run","id":"warmup","script":"function f(a) { return a.n * 2; }\nvar r;\ntry { null.x; } catch (e) { r = String(e); }\nconsole.log('w', 1, { a: [1] });\n({ v: f(input), r, j: JSON.parse(JSON.stringify(input)) })","input":{"n":21},"limits":{"maxStatements":1000,"maxRecursion":64,"maxOutputBytes":65536,"maxFetches":0}}""";

    /// <summary>Runs the warm-up; writes nothing.</summary>
    public static void Run(ProtocolChannel channel)
    {
        var run = JsonSerializer.Deserialize(Line, ToolWorkerJsonContext.Default.HostMessage)!;
        var result = ScriptRun.Execute(run, channel);
        _ = channel.Serialize(result.Done);
    }
}
