using Microsoft.AspNetCore.Http;

namespace McpPlatform.McpServer.Hosting;

/// <summary>Puts authorized MCP requests through <see cref="TenantFairScheduler"/>, as a wrapper of the MCP endpoint.</summary>
internal static class TenantFairScheduling
{
    public static RequestDelegate Wrap(RequestDelegate endpoint, TenantFairScheduler scheduler) => async context =>
    {
        var tenant = TenantCallerFeature.Of(context).Caller?.TenantId;
        if (tenant is null)
        {
            await endpoint(context);
            return;
        }

        bool entered;
        try
        {
            entered = await scheduler.EnterAsync(tenant, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if (!entered)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            return;
        }

        try
        {
            await endpoint(context);
        }
        finally
        {
            scheduler.Exit(tenant);
        }
    };
}
