using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Acornima;
using Jint;
using Jint.Native;
using Jint.Native.Error;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using McpPlatform.ToolWorker.Protocol;

namespace McpPlatform.ToolWorker;

/// <summary>
/// One "run": a new engine (nothing survives between runs), the globals <c>input</c>,
/// <c>console</c> and <c>http</c>, the script evaluated as a Script, and its outcome as a "done" line.
/// </summary>
internal static class ScriptRun
{
    /// <summary>Runs the script of <paramref name="run"/> (its Script and Limits are present).</summary>
    /// <exception cref="ProtocolViolationException">The host broke the protocol during a fetch.</exception>
    public static RunResult Execute(HostMessage run, ProtocolChannel channel)
    {
        var limits = run.Limits!;
        var console = new ConsoleCapture(limits.MaxOutputBytes);
        try
        {
            return new RunResult(Evaluate(run, limits, console, channel));
        }
        catch (OutputLimitExceededException)
        {
            return Failed(run, console, new WorkerError(
                ToolWorkerCodes.OutputLimit, $"The script's console output and value exceeded {limits.MaxOutputBytes} bytes."));
        }
        catch (StatementsCountOverflowException)
        {
            return Failed(run, console, new WorkerError(
                ToolWorkerCodes.CpuLimit, $"The script ran more than {limits.MaxStatements} statements."));
        }
        catch (RecursionDepthOverflowException)
        {
            return Failed(run, console, new WorkerError(
                ToolWorkerCodes.ScriptError, $"RangeError: the script exceeded the recursion limit of {limits.MaxRecursion} calls."));
        }
        catch (InsufficientExecutionStackException)
        {
            return Failed(run, console, new WorkerError(
                ToolWorkerCodes.ScriptError, "RangeError: the script nests calls or expressions too deeply for the worker's stack."));
        }
        catch (Exception exception) when (exception is OutOfMemoryException or MemoryLimitExceededException)
        {
            // The engine is out of scope (Evaluate returned by throwing): reclaim its heap before
            // building the line. The worker exits after writing it.
            GC.Collect();
            return new RunResult(
                Done(run, console, new WorkerError(ToolWorkerCodes.MemoryLimit, "The script used more memory than the worker's limit allows.")),
                ToolWorkerExitCodes.OutOfMemory);
        }
        catch (ProtocolViolationException)
        {
            throw;
        }
        catch (Exception)
        {
            return new RunResult(
                Done(run, console, new WorkerError(ToolWorkerCodes.ScriptError, "The worker failed while running the script.")),
                ToolWorkerExitCodes.ProtocolError);
        }
    }

    // Not inlined, so that the engine is unreachable once this has thrown (see the memory case).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WorkerMessage Evaluate(HostMessage run, RunLimits limits, ConsoleCapture console, ProtocolChannel channel)
    {
        Prepared<Acornima.Ast.Script> script;
        try
        {
            script = Engine.PrepareScript(run.Script!);
        }
        catch (ScriptPreparationException exception) when (exception.InnerException is ParseErrorException parse)
        {
            return Done(run, console, new WorkerError(
                ToolWorkerCodes.ScriptError, SafeText.Message("SyntaxError: " + parse.Description), parse.LineNumber, parse.Column + 1));
        }
        catch (ScriptPreparationException exception) when (exception.InnerException is InsufficientExecutionStackException inner)
        {
            throw inner;
        }

        var engine = new Engine(options =>
        {
            options.Strict = false;
            options.Interop.Enabled = false;
            options.AgentCanSuspend = false;
            options.Culture = CultureInfo.InvariantCulture;
            options.TimeZone = TimeZoneInfo.Utc;
            options.Constraints.StackOverflowGuard = true;
            if (limits.MaxRecursion > 0)
            {
                options.LimitRecursion(limits.MaxRecursion);
            }

            if (limits.MaxStatements > 0)
            {
                // Jint counts statements in an int; a larger limit is no limit in practice.
                options.MaxStatements((int)Math.Min(limits.MaxStatements, int.MaxValue));
            }
        });

        var fetch = new HttpFetch(engine, channel, limits.MaxFetches);
        try
        {
            engine.SetValue("input", run.Input is { } input ? new JsonParser(engine).Parse(input.GetRawText()) : JsValue.Undefined);
            engine.SetValue("console", ScriptConsole.Create(engine, console));
            engine.SetValue("http", fetch.CreateGlobal());

            var value = engine.Evaluate(script);

            var json = new ArrayBufferWriter<byte>();
            if (!ScriptOutput.TryStringify(engine, value, json))
            {
                return Done(run, console, error: null);
            }

            if (console.Bytes + json.WrittenCount > limits.MaxOutputBytes)
            {
                throw new OutputLimitExceededException();
            }

            try
            {
                return Done(run, console, error: null, ScriptOutput.ToElement(json.WrittenSpan));
            }
            catch (JsonException)
            {
                return Done(run, console, new WorkerError(
                    ToolWorkerCodes.ScriptError, $"The script's value is nested more than {ScriptOutput.MaxValueDepth} levels deep."));
            }
        }
        catch (JavaScriptException exception)
        {
            var location = exception.Location.Start;
            int? line = location.Line > 0 ? location.Line : null;
            int? column = location.Line > 0 ? location.Column + 1 : null;
            if (fetch.TryGetError(exception.Error, out var thrown))
            {
                return Done(run, console, thrown with { Line = line, Column = column });
            }

            return Done(run, console, new WorkerError(ToolWorkerCodes.ScriptError, SafeText.Message(Describe(exception.Error)), line, column));
        }
    }

    // "<name>: <message>" for an Error, as Error.prototype.toString; the value as a string otherwise.
    private static string Describe(JsValue thrown)
    {
        if (thrown is ErrorInstance error)
        {
            var name = Read(error, "name") ?? "Error";
            var message = Read(error, "message") ?? string.Empty;
            return name.Length == 0 ? message : message.Length == 0 ? name : $"{name}: {message}";
        }

        if (thrown.IsSymbol())
        {
            return thrown.ToString();
        }

        try
        {
            return TypeConverter.ToString(thrown);
        }
        catch (JavaScriptException)
        {
            return "Uncaught exception";
        }
    }

    private static string? Read(ObjectInstance error, string property)
    {
        try
        {
            var value = error.Get(property);
            return value.IsUndefined() ? null : TypeConverter.ToString(value);
        }
        catch (JavaScriptException)
        {
            return null;
        }
    }

    private static RunResult Failed(HostMessage run, ConsoleCapture console, WorkerError error) =>
        new(Done(run, console, error));

    private static WorkerMessage Done(HostMessage run, ConsoleCapture console, WorkerError? error, JsonElement? value = null) =>
        new("done", Id: run.Id, Ok: error is null, Value: value, Console: console.Text, Error: error);
}
