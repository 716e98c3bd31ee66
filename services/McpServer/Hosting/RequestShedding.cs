using System.Diagnostics.Metrics;
using System.Globalization;
using McpPlatform.McpServer.Pipeline;
using McpPlatform.ServiceDefaults.Apis;
using McpPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace McpPlatform.McpServer.Hosting;

/// <summary>
/// Bounds the MCP requests an instance runs at once and sheds the ones that would wait too long
/// (<see cref="McpOverloadOptions"/>). Waiting requests get slots in arrival order; a shed request
/// costs a timer and a small 503, so the CPU stays with the calls being served.
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

    public RequestDelegate Wrap(RequestDelegate endpoint) => async context =>
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
            await endpoint(context);
        }
        finally
        {
            _slots.Release();
        }
    };

    public void Dispose() => _slots.Dispose();
}
