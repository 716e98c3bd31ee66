using McpPlatform.CollectorPlatform.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.CollectorPlatform.Apis;

/// <summary>
/// Operator views of the platform pipeline. Everything here is tenant-free by construction (findings
/// hold keys and kinds, never values), the same exposure as the dashboard itself.
/// </summary>
public static class CollectorApi
{
    /// <summary>Maps <c>GET /v1/findings</c>, <c>GET /v1/tool-calls</c> and, when kept, <c>GET /v1/received</c>.</summary>
    /// <param name="app">The routes.</param>
    /// <returns>The same routes.</returns>
    public static IEndpointRouteBuilder MapCollectorApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/findings", (FindingsStore findings) =>
        {
            var counts = findings.Counts();
            return TypedResults.Ok(new FindingsReport(counts.Sum(c => c.Count), counts, findings.Recent()));
        });
        app.MapGet("/v1/tool-calls", (ToolCallStats stats) => TypedResults.Ok(stats.Summaries()));
        app.MapGet("/v1/received", Results<Ok<IReadOnlyList<ReceivedBatch>>, NotFound> (ReceivedStore received) =>
            received.Enabled ? TypedResults.Ok(received.All()) : TypedResults.NotFound());
        return app;
    }
}
