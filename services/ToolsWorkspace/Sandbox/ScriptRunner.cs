using System.Text;
using System.Text.Json;
using McpPlatform.Core;
using McpPlatform.ToolWorker.Protocol;
using McpPlatform.ToolsWorkspace.Connections;
using Microsoft.Extensions.Options;

namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>
/// One <c>run_script</c>: checks the arguments, takes a worker of the caller's tenant, runs the
/// script there, answers its <c>http.fetch</c> calls through the tenant's connections (the host
/// attaches the credential; the worker never sees it), and turns how the run ended into a result
/// or a reason code. The worker goes back to the pool only after a clean finish.
/// </summary>
public sealed class ScriptRunner(WorkerPool pool, SandboxEnvironment environment, ConnectionCaller connections, IOptions<SandboxOptions> options)
{
    /// <summary>The tool, as secret reads name it.</summary>
    public const string Tool = "run_script";

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Runs a script for the caller.</summary>
    /// <param name="tenant">The call's context: the only source of the tenant.</param>
    /// <param name="script">JavaScript source.</param>
    /// <param name="input">A JSON value the script sees as <c>input</c>.</param>
    /// <param name="timeoutSeconds">A shorter wall clock than the platform's, if the caller wants one.</param>
    /// <param name="cancellationToken">The caller gave up (the worker is stopped).</param>
    /// <returns>The value, console output and sandbox facts.</returns>
    /// <exception cref="ScriptRunException">An expected failure with its reason code.</exception>
    public async Task<ScriptResult> RunAsync(TenantContext tenant, string? script, JsonElement? input, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var limits = options.Value;
        var wallSeconds = Check(limits, script, input, timeoutSeconds);
        var scriptLimits = new ScriptLimits(wallSeconds * 1000, (int)(limits.CpuSeconds * 1000), limits.MemoryMiB, limits.MaxOutputBytes,
            limits.MaxStatements, limits.MaxRecursion, limits.MaxFetches, environment.Cgroups is not null);

        WorkerProcess worker;
        try
        {
            worker = await pool.AcquireAsync(tenant.TenantId, TimeSpan.FromSeconds(wallSeconds), cancellationToken);
        }
        catch (SandboxUnavailableException exception)
        {
            throw new ScriptRunException(ToolErrorCodes.SandboxUnavailable, exception.Message, 1);
        }

        var fetches = 0;
        WorkerRun? run = null;
        try
        {
            var message = new HostMessage("run", Id: tenant.InvocationId, Script: script, Input: input is { ValueKind: not JsonValueKind.Undefined } ? input : null,
                Limits: new RunLimits(limits.MaxStatements, limits.MaxRecursion, limits.MaxOutputBytes, limits.MaxFetches));
            var callLimits = new CallLimits(TimeSpan.FromSeconds(wallSeconds), TimeSpan.FromSeconds(limits.CpuSeconds),
                (limits.MaxOutputBytes * 6) + (64 * 1024), TimeSpan.FromMilliseconds(50));
            run = await worker.RunAsync(message, callLimits, async (fetch, token) =>
            {
                fetches++;
                return await FetchAsync(tenant, fetch, token);
            }, cancellationToken);
        }
        finally
        {
            // A run the worker finished itself leaves it usable (a new engine per run), except
            // after running out of heap; anything the host had to end leaves it stopped.
            pool.Return(worker, reuse: run is { Ended: null, Done: not null } && run.Done.Error?.Code != ToolWorkerCodes.MemoryLimit);
        }

        var ended = run.Ended switch
        {
            WorkerEnd.Timeout => ToolErrorCodes.Timeout,
            WorkerEnd.CpuLimit => ToolErrorCodes.CpuLimit,
            WorkerEnd.MemoryLimit => ToolErrorCodes.MemoryLimit,
            WorkerEnd.OutputLimit => ToolErrorCodes.OutputLimit,
            WorkerEnd.Crashed => ToolErrorCodes.Crashed,
            _ when run.Done!.Ok == true => "ok",
            _ => KnownCode(run.Done!.Error?.Code),
        };
        var facts = new ScriptSandboxFacts(environment.IsolationName, worker.Id, ended, Math.Round(run.Wall.TotalMilliseconds, 2),
            run.Cpu.TotalMilliseconds, run.PeakMemoryBytes, fetches, scriptLimits);
        if (ended == "ok")
        {
            return new ScriptResult(run.Done!.Value, run.Done.Console, facts);
        }

        throw new ScriptRunException(ended, Message(ended, run.Done?.Error, scriptLimits)) { Facts = facts };
    }

    /// <summary>Cost of a run: CPU seconds at one price, GiB of peak memory held for the wall time at another (docs/workspace.md, "Cost").</summary>
    /// <param name="facts">What the run used.</param>
    /// <returns>The cost in the budget's currency.</returns>
    public decimal CostOf(ScriptSandboxFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return options.Value.CostOf(facts.CpuMs, facts.PeakMemoryBytes, facts.WallMs);
    }

    private static int Check(SandboxOptions limits, string? script, JsonElement? input, int? timeoutSeconds)
    {
        if (string.IsNullOrWhiteSpace(script))
        {
            throw new ScriptRunException(ToolErrorCodes.InvalidArgument, "Argument 'script' must be a non-empty JavaScript program.");
        }

        int bytes;
        try
        {
            bytes = script.Length > limits.MaxScriptBytes ? int.MaxValue : s_strictUtf8.GetByteCount(script);
        }
        catch (EncoderFallbackException)
        {
            throw new ScriptRunException(ToolErrorCodes.InvalidText, "Argument 'script' is not valid Unicode text (it has an unpaired surrogate).");
        }

        if (bytes > limits.MaxScriptBytes)
        {
            throw new ScriptRunException(ToolErrorCodes.InvalidArgument, $"Argument 'script' must be at most {limits.MaxScriptBytes} bytes of UTF-8.");
        }

        if (input is { ValueKind: not JsonValueKind.Undefined } value && Encoding.UTF8.GetByteCount(value.GetRawText()) > limits.MaxInputBytes)
        {
            throw new ScriptRunException(ToolErrorCodes.InvalidArgument, $"Argument 'input' must be at most {limits.MaxInputBytes} bytes of JSON.");
        }

        if (timeoutSeconds is { } asked && (asked < 1 || asked > limits.TimeoutSeconds))
        {
            throw new ScriptRunException(ToolErrorCodes.InvalidArgument, $"Argument 'timeoutSeconds' must be 1-{limits.TimeoutSeconds}.");
        }

        return timeoutSeconds ?? limits.TimeoutSeconds;
    }

    // The egress broker: the script names a connection and a path; the host checks them against the
    // tenant's connection, reads the secret for this invocation, sends, and hands back the answer.
    private async Task<HostMessage> FetchAsync(TenantContext tenant, WorkerMessage fetch, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await connections.CallAsync(tenant, fetch.Connection, fetch.Path, fetch.Method ?? "GET", fetch.Body, Tool, cancellationToken);
            answer.Headers.TryGetValue("content-type", out var contentType);
            return new HostMessage("fetched", Seq: fetch.Seq, Status: answer.Status, ContentType: contentType, Body: answer.Body, Truncated: answer.Truncated);
        }
        catch (ConnectionCallException exception)
        {
            return new HostMessage("fetched", Seq: fetch.Seq, Error: new WorkerError(exception.Code, exception.Message));
        }
    }

    // A code the worker sends is trusted only if it is one of the documented ones a run can end with.
    private static string KnownCode(string? code) =>
        code is not null && code != ToolErrorCodes.InvalidArgument && ToolErrorCodes.All.Contains(code) ? code : ToolErrorCodes.ScriptError;

    private static string Message(string code, WorkerError? error, ScriptLimits limits) => code switch
    {
        ToolErrorCodes.Timeout => $"The script ran past its wall-clock limit of {limits.WallClockMs / 1000} s; its worker was stopped.",
        ToolErrorCodes.CpuLimit when error is not null => Cap(error.Message),
        ToolErrorCodes.CpuLimit => $"The script used more than {limits.CpuMs} ms of CPU time; its worker was stopped.",
        ToolErrorCodes.MemoryLimit => $"The script used more memory than its worker's limit of {limits.MemoryMiB} MiB.",
        ToolErrorCodes.OutputLimit => $"Console output and result together were larger than {limits.OutputBytes} bytes.",
        ToolErrorCodes.Crashed => "The worker running the script stopped unexpectedly; only this call failed, and trying again uses a new worker.",
        _ when error is null => "The script failed.",
        _ when error.Line is { } line => Cap($"{error.Message} (line {line}{(error.Column is { } column ? $", column {column}" : string.Empty)})"),
        _ => Cap(error.Message),
    };

    private static string Cap(string text) => text.Length <= 1000 ? text : text[..1000];
}
