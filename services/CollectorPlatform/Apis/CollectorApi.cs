using McpPlatform.CollectorPlatform.Extensions;
using McpPlatform.CollectorPlatform.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.CollectorPlatform.Apis;

/// <summary>
/// Operator views of the platform pipeline, for operators' tokens only (<c>telemetry:read</c>).
/// Findings and counts are tenant-free by construction (findings hold keys and kinds, never values).
/// The received view is not: it holds batches before the checks, so it exists only where a test
/// run turns it on (<c>CollectorPlatform:ReceivedBufferSize</c>), and answers 404 everywhere else.
/// </summary>
public static class CollectorApi
{
    /// <summary>Maps <c>GET /v1/findings</c>, <c>GET /v1/tool-calls</c> and, when kept, <c>GET /v1/received</c>.</summary>
    /// <param name="app">The routes.</param>
    /// <returns>The same routes.</returns>
    public static IEndpointRouteBuilder MapCollectorApi(this IEndpointRouteBuilder app)
    {
        var views = app.MapGroup("/v1").RequireAuthorization(CollectorPlatformExtensions.OperatorPolicy);
        views.MapGet("/findings", (FindingsStore findings) =>
        {
            var counts = findings.Counts();
            return TypedResults.Ok(new FindingsReport(counts.Sum(c => c.Count), counts, findings.Recent()));
        });
        views.MapGet("/tool-calls", (ToolCallStats stats) => TypedResults.Ok(stats.Summaries()));
        views.MapGet("/received", Results<Ok<IReadOnlyList<ReceivedBatch>>, NotFound> (ReceivedStore received) =>
            received.Enabled ? TypedResults.Ok(received.All()) : TypedResults.NotFound());
        return app;
    }
}
