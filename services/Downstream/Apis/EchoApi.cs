using McpPlatform.Core;
using McpPlatform.Downstream.Extensions;
using McpPlatform.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.Downstream.Apis;

/// <summary>The sample API's endpoints.</summary>
public static partial class EchoApi
{
    private const int MaxMessageLength = 1000;

    /// <summary>Maps <c>POST /api/echo</c> and <c>GET /api/calls</c>, both behind the exchanged-identity policy.</summary>
    /// <param name="app">The routes.</param>
    /// <returns>The route group.</returns>
    public static RouteGroupBuilder MapEchoApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(DownstreamExtensions.ExchangedIdentityPolicy);
        api.MapPost("/echo", Echo);
        // The tenant comes from the token; there is no parameter that names one.
        api.MapGet("/calls", (HttpContext http, CallLog log) => TypedResults.Ok(log.For(http.User.FindFirst(PlatformClaims.TenantId)!.Value)));
        return api;
    }

    private static Results<Ok<EchoRecord>, ValidationProblem> Echo(EchoRequest request, HttpContext http, CallLog log, TimeProvider time, ILogger<EchoRecord> logger)
    {
        if (string.IsNullOrEmpty(request.Message) || request.Message.Length > MaxMessageLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["message"] = [$"message must be 1-{MaxMessageLength} characters."],
            });
        }

        var user = http.User;
        var record = new EchoRecord(
            user.FindFirst(PlatformClaims.TenantId)!.Value,
            user.FindFirst(PlatformClaims.Subject)!.Value,
            user.FindFirst(PlatformClaims.PrincipalType)!.Value,
            user.FindFirst(PlatformClaims.InvocationId)!.Value,
            DownstreamExtensions.ActorOf(user)!,
            request.Message,
            time.GetUtcNow());
        log.Add(record);
        LogEcho(logger, record.InvocationId, record.Actor);
        return TypedResults.Ok(record);
    }

    // The invocation id is chosen by the tenant's client, so it is classified and erased from
    // platform logs; the actor is the MCP server's own client id.
    [LoggerMessage(Level = LogLevel.Information, Message = "Echo for invocation {InvocationId} by actor {Actor}.")]
    private static partial void LogEcho(ILogger logger, [TenantContent] string invocationId, string actor);
}
