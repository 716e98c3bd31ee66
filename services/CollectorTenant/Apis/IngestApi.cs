using System.Security.Claims;
using McpPlatform.CollectorTenant.Extensions;
using McpPlatform.CollectorTenant.Store;
using McpPlatform.Core;
using McpPlatform.ServiceDefaults.Apis;
using McpPlatform.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace McpPlatform.CollectorTenant.Apis;

/// <summary>Ingest: <c>POST /v1/records</c>, from platform services' own identities (MCP servers, identity).</summary>
public static class IngestApi
{
    /// <summary>
    /// Maps ingest behind the <c>audit:write</c> policy. A batch is stored whole or not at all:
    /// any invalid record makes it a 422 naming every refused record, so the sender can set
    /// those aside and resend the rest. Known ids are ignored (at-least-once delivery).
    /// </summary>
    /// <param name="app">The routes.</param>
    /// <returns>The endpoint.</returns>
    public static RouteHandlerBuilder MapIngestApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/v1/records", IngestAsync).RequireAuthorization(CollectorTenantExtensions.IngestPolicy)
            .AddEndpointFilter(new DatabaseOutageFilter("audit.unavailable", "The audit store could not be reached; nothing was lost. Try again."));

    private static async Task<Results<Ok<AuditBatchResult>, ProblemHttpResult>> IngestAsync(
        HttpContext http, AuditStore store, IOptionsMonitor<AuditPolicyOptions> policies, TimeProvider time)
    {
        var (batch, problem) = await JsonRequestBody.ReadAsync(http, AuditJsonContext.Default.AuditBatch, AuditLimits.MaxBatchBytes);
        if (batch is null)
        {
            return problem!;
        }

        if (batch.Records is not { Count: > 0 } records)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "request.records_missing", "records is required and must not be empty.");
        }

        if (records.Count > AuditLimits.MaxRecordsPerBatch)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "request.too_many_records",
                $"A batch holds at most {AuditLimits.MaxRecordsPerBatch} records; this one has {records.Count}.");
        }

        var server = Sender(http.User);
        var policy = policies.CurrentValue;
        var now = time.GetUtcNow();
        var rejected = new List<RejectedRecord>();
        var accepted = new List<AuditRecord>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is not { } record)
            {
                rejected.Add(new(i, "record.missing", "The record is null."));
                continue;
            }

            if (IngestRules.Check(record, server, policy, now) is { } error)
            {
                rejected.Add(new(i, error.Code, error.Message));
                continue;
            }

            // The sender is who the token says, never what the body says; raw arguments only
            // where the tenant's policy keeps them, whatever the sender did.
            accepted.Add(record with
            {
                Server = server,
                Arguments = policy.For(record.TenantId).RawArguments ? record.Arguments : null,
            });
        }

        if (rejected.Count > 0)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "audit.records_rejected",
                $"{rejected.Count} of {records.Count} records were refused; nothing in this batch was stored. Resend the others.",
                new Dictionary<string, object?> { ["rejected"] = rejected.ToArray() });
        }

        return TypedResults.Ok(await store.InsertAsync(accepted, http.RequestAborted));
    }

    private static string Sender(ClaimsPrincipal user) =>
        user.FindFirst("client_id")?.Value ?? user.FindFirst(PlatformClaims.Subject)?.Value ?? "unknown";
}
