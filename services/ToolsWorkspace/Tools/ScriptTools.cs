using System.ComponentModel;
using System.Text.Json;
using McpPlatform.Core;
using McpPlatform.McpServer.Pipeline;
using McpPlatform.ToolsWorkspace.Sandbox;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.ToolsWorkspace.Tools;

/// <summary>The tenant's own JavaScript, run in a sandboxed worker process of the tenant's own.</summary>
// No output schemas, for the reason given on IdentityTools (decision 004).
[McpServerToolType]
public sealed class ScriptTools
{
    /// <summary>The run_script tool.</summary>
    [McpServerTool(Name = "run_script", Idempotent = false)]
    [Description("Runs a JavaScript program (ECMAScript, no modules, no timers) in a sandboxed worker of your tenant and returns its completion value " +
        "(the value of the last expression statement, as JSON) and what it wrote with console.log. The script sees 'input' (the argument, any JSON) " +
        "and http.fetch(connection, path, {method, body}) which calls one of your tenant's connections (see list_connections) and returns " +
        "{status, contentType, body, truncated, json()}; the server attaches the credential, the script never sees it. " +
        "Limits (wall clock, CPU time, memory, output, recursion, fetches) end the call with a tool.* code; the result's 'sandbox' says which applied.")]
    public static async Task<CallToolResult> RunScript(
        ScriptRunner runner,
        TenantContext tenant,
        ToolCall call,
        [Description("The JavaScript source, e.g. \"const r = http.fetch('my-partner', '/v1/items'); r.json().items.length\". At most 256 KiB by default.")] string script,
        [Description("Any JSON value, visible to the script as 'input'. At most 1 MiB by default.")] JsonElement? input = null,
        [Description("A wall-clock limit in seconds shorter than the platform's (5 s by default), e.g. 1.")] int? timeoutSeconds = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            var result = await runner.RunAsync(tenant, script, input, timeoutSeconds, cancellationToken);
            Record(runner, call, result.Sandbox);
            return ToolResults.Structured(result);
        }
        catch (ScriptRunException exception)
        {
            if (exception.Facts is { } facts)
            {
                Record(runner, call, facts);
            }

            return call.Fail(exception.Code, exception.Message, exception.RetryAfterSeconds);
        }
    }

    // What the worker used counts toward the tenant's cost budget; the audit record says which
    // limits applied and how the call ended.
    private static void Record(ScriptRunner runner, ToolCall call, ScriptSandboxFacts facts)
    {
        call.Usage.Add(0, runner.CostOf(facts));
        call.Detail = JsonSerializer.SerializeToElement(new { sandbox = facts }, s_web);
    }

    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web);
}
