using System.Diagnostics.Metrics;
using System.Globalization;
using McpPlatform.Core;
using McpPlatform.McpServer.Pipeline;
using McpPlatform.ServiceDefaults.Apis;
using McpPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace McpPlatform.McpServer.Hosting;

/// <summary>
/// Bounds the MCP requests an instance runs at once and sheds the ones that would wait too long
/// (<see cref="McpOverloadOptions"/>). Waiting requests get slots in arrival order. It is the first
/// middleware of the application (<see cref="RequestSheddingStartupFilter"/>), ahead of token
/// validation, so a shed request costs a timer and a small 503 and the CPU stays with the calls
/// being served; a request that holds a slot still goes through authentication and authorization.
/// </summary>
internal sealed class RequestShedding : IDisposable
{
    /// <summary>The counter of shed requests (tenant-free).</summary>
    public const string ShedInstrument = "mcpplatform.mcp.requests.shed";

    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _maxQueue;
    private readonly string _retryAfter;
    private readonly Counter<long> _shed;

    public RequestShedding(IOptions<McpOverloadOptions> options, IMeterFactory meters)
    {
        var value = options.Value;
        _slots = new SemaphoreSlim(Math.Max(1, value.MaxConcurrentRequests));
        _maxQueue = TimeSpan.FromMilliseconds(Math.Max(0, value.MaxQueueMilliseconds));
        _retryAfter = Math.Max(1, value.RetryAfterSeconds).ToString(CultureInfo.InvariantCulture);
        _shed = meters.Create(ToolCallMetrics.MeterName).CreateCounter<long>(ShedInstrument, unit: "{request}",
            description: "MCP requests answered 503 because this instance was at capacity for longer than Mcp:Overload:MaxQueueMilliseconds.");
    }

    /// <summary>Runs <paramref name="next"/> for an MCP request once it has a slot; other paths pass through.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next) =>
        context.Request.Path.Equals(McpConventions.Path, StringComparison.Ordinal) ? LimitAsync(context, next) : next(context);

    private async Task LimitAsync(HttpContext context, RequestDelegate next)
    {
        bool entered;
        try
        {
            entered = await _slots.WaitAsync(_maxQueue, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if (!entered)
        {
            _shed.Add(1);
            context.Response.Headers.RetryAfter = _retryAfter;
            await Problems.Create(StatusCodes.Status503ServiceUnavailable, PlatformErrorCodes.Overloaded,
                "This server is at capacity; retry after the Retry-After delay.").ExecuteAsync(context);
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}

/// <summary>
/// Puts <see cref="RequestShedding"/> in front of everything the application adds (error
/// handling, authentication, authorization, routing) when <c>Mcp:Overload</c> is enabled.
/// </summary>
internal sealed class RequestSheddingStartupFilter(RequestShedding shedding, IOptions<McpOverloadOptions> options) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        if (options.Value.Enabled)
        {
            app.Use(shedding.InvokeAsync);
        }

        next(app);
    };
}
