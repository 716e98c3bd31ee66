using McpPlatform.Audit;
using McpPlatform.Core;
using McpPlatform.Core.Quota;
using McpPlatform.McpServer.Hosting;
using McpPlatform.McpServer.Quota;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.McpServer.Pipeline;

/// <summary>
/// The isolation pipeline of every <c>tools/call</c>, in one fixed order, each step inside the one before:
/// <list type="number">
/// <item><b>metrics</b>: times and counts every call, whatever happens inside (<see cref="ToolCallMetrics"/>);</item>
/// <item><b>tenant context</b>: from the caller read once per request and the request's <c>_meta</c>; without one
/// the call ends with an error result, unaudited (there is no tenant trail to write to);</item>
/// <item><b>audit</b>: one record per call with a tenant, whatever happens inside, denials and exceptions included (<see cref="ToolCallAudit"/>);</item>
/// <item><b>arguments</b>: checked against the tool's input schema (<see cref="ToolArguments"/>); a call that does
/// not fit ends with <c>request.invalid_argument</c>, audited, without taking quota;</item>
/// <item><b>admission</b>: a lease or a denial (the tool does not run); the lease is released with the call's
/// usage when the tool returns, fails or throws.</item>
/// </list>
/// The steps share the call's <see cref="ToolCall"/> record; nothing is parsed back out of the result.
/// </summary>
internal static class ToolCallPipeline
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Create(
        McpRequestHandler<CallToolRequestParams, CallToolResult> tool) =>
        (request, cancellationToken) => MeteredAsync(tool, request, cancellationToken);

    private static async ValueTask<CallToolResult> MeteredAsync(
        McpRequestHandler<CallToolRequestParams, CallToolResult> tool, RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var services = request.Services ?? throw new InvalidOperationException("The MCP request has no service scope.");
        var call = services.GetRequiredService<ToolCall>();
        call.Start(request.Params?.Name);
        try
        {
            return await WithTenantAsync(tool, request, services, call, cancellationToken);
        }
        finally
        {
            services.GetRequiredService<ToolCallMetrics>().Record(call);
        }
    }

    private static ValueTask<CallToolResult> WithTenantAsync(
        McpRequestHandler<CallToolRequestParams, CallToolResult> tool, RequestContext<CallToolRequestParams> request,
        IServiceProvider services, ToolCall call, CancellationToken cancellationToken)
    {
        string? clientInvocationId = null;
        if (request.Params?.Meta is { } meta && meta.TryGetPropertyValue(McpConventions.InvocationIdMetaKey, out var node) && node is not null)
        {
            clientInvocationId = node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : string.Empty;
        }

        // The caller was read from the token once, when the request came in; a transport without
        // an HTTP request (in-memory, tests) reads it from the request's user here.
        var caller = services.GetService<IHttpContextAccessor>()?.HttpContext is { } http
            ? TenantCallerFeature.Of(http)
            : TenantCaller.FromClaims(request.User ?? new System.Security.Claims.ClaimsPrincipal());
        var context = TenantContext.TryCreate(caller, clientInvocationId);
        if (context.Context is not { } tenant)
        {
            return ValueTask.FromResult(call.Fail(context.ErrorCode!, context.ErrorMessage!));
        }

        // No log scope with the tenant: scopes reach every logging provider (the console too,
        // which the dashboard shows), and tenant identity belongs to the audit pipeline only
        // (docs/telemetry.md). Code that needs the tenant takes the TenantContext.
        call.Tenant = tenant;
        return AuditedAsync(tool, request, services, call, cancellationToken);
    }

    private static async ValueTask<CallToolResult> AuditedAsync(
        McpRequestHandler<CallToolRequestParams, CallToolResult> tool, RequestContext<CallToolRequestParams> request,
        IServiceProvider services, ToolCall call, CancellationToken cancellationToken)
    {
        var audit = services.GetRequiredService<AuditEmitter>();
        CallToolResult? result = null;
        try
        {
            // Inside audit: a malformed call is on the tenant's trail like any other. Before
            // admission: it is refused without a lease, so an agent looping on a bad argument
            // does not spend its tenant's budget or concurrency on calls no tool will run.
            if (ArgumentProblem(request) is { } problem)
            {
                result = call.Fail(problem.Code, problem.Message);
            }
            else if (audit.FailsClosed && !audit.Accepting)
            {
                // Fail closed: a call whose record could not be kept does not run at all.
                result = call.Fail(ToolErrorCodes.AuditUnavailable, AuditUnavailableBeforeMessage, AuditRetryAfterSeconds);
            }
            else
            {
                result = await AdmittedAsync(tool, request, services, call, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            call.Cancelled();
            throw;
        }
        finally
        {
            // With Audit:Durability=Acknowledged this waits for the record's fsync, so no caller
            // sees a result whose record a crash could still lose (docs/reliability.md).
            var kept = await ToolCallAudit.WriteAsync(services, audit, call, request.Params?.Arguments);
            if (!kept && audit.FailsClosed && result is { IsError: not true })
            {
                // The tool ran but its record is gone: the caller must not take this as done.
                result = call.Fail(ToolErrorCodes.AuditUnavailable, AuditUnavailableAfterMessage, AuditRetryAfterSeconds);
            }
        }

        return result;
    }

    private const int AuditRetryAfterSeconds = 5;

    private const string AuditUnavailableBeforeMessage =
        "This server cannot keep audit records right now (its audit spool is full or cannot be written), so it runs no tool calls. Nothing ran; retry later.";

    private const string AuditUnavailableAfterMessage =
        "The tool ran, but its audit record could not be written, so its result is withheld. Check the tool's effects before retrying.";

    // An unknown tool has no schema; the SDK answers it as it does without the pipeline.
    private static (string Code, string Message)? ArgumentProblem(RequestContext<CallToolRequestParams> request)
    {
        var tool = request.MatchedPrimitive as McpServerTool;
        if (tool is null && request.Params?.Name is { } name)
        {
            request.Server.ServerOptions.ToolCollection?.TryGetPrimitive(name, out tool);
        }

        return tool is null ? null : ToolArguments.Check(ToolArguments.SchemaOf(tool), request.Params?.Arguments);
    }

    private static async ValueTask<CallToolResult> AdmittedAsync(
        McpRequestHandler<CallToolRequestParams, CallToolResult> tool, RequestContext<CallToolRequestParams> request,
        IServiceProvider services, ToolCall call, CancellationToken cancellationToken)
    {
        var tenant = call.Tenant!;
        var quota = services.GetRequiredService<IQuotaAdmission>();
        var estimate = services.GetRequiredService<IOptionsMonitor<ToolEstimateOptions>>().CurrentValue.For(call.Tool);
        var admission = await quota.AdmitAsync(tenant, call.Tool, estimate, cancellationToken);
        if (admission.Lease is not { } lease)
        {
            var denial = admission.Denial!;
            // A caller back before the retryAfterSeconds of its last denial gets this one late.
            await services.GetRequiredService<DenialPacer>().PaceAsync(tenant, denial, cancellationToken);
            return call.Fail(denial.Code, denial.Message, denial.RetryAfterSeconds);
        }

        try
        {
            var result = await tool(request, cancellationToken);
            call.Returned(result);
            return result;
        }
        finally
        {
            // Released off the response path: the answer does not wait for the release's round
            // trip. Not the call's token: a cancelled call must still give its slot back; an
            // unreleased lease expires by itself anyway. Shutdown waits for pending releases.
            services.GetRequiredService<PendingReleases>().Track(quota.ReleaseAsync(lease, call.Usage.Total, CancellationToken.None));
        }
    }
}
