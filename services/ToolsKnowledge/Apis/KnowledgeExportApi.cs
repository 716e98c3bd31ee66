using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using McpPlatform.Core;
using McpPlatform.ServiceDefaults.Telemetry;
using McpPlatform.ToolsKnowledge.Services;

namespace McpPlatform.ToolsKnowledge.Apis;

/// <summary>
/// The operator's export API: <c>GET /v1/admin/tenants/{tenantId}/knowledge/export</c> streams one
/// tenant's knowledge as NDJSON (one document per line). The operator names the tenant explicitly;
/// the export runs through the same <see cref="KnowledgeExporter"/> pipeline as the tenant's own
/// <c>export_knowledge</c> tool, with a context built for that tenant, so it reads that tenant's
/// partition only. Every export is logged with the operator, the tenant and the document count.
/// </summary>
public static partial class KnowledgeExportApi
{
    /// <summary>Authorization policy: a token for this server with the operator role.</summary>
    public const string OperatorPolicy = "knowledge-operator";

    /// <summary>Media type of the export.</summary>
    public const string ContentType = "application/x-ndjson";

    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web);

    /// <summary>Maps the operator export endpoint.</summary>
    /// <param name="app">The routes.</param>
    /// <returns>The endpoint.</returns>
    public static RouteHandlerBuilder MapKnowledgeExportApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/admin/tenants/{tenantId}/knowledge/export", ExportAsync).RequireAuthorization(OperatorPolicy);

    private static async Task<IResult> ExportAsync(
        string tenantId,
        string? partition,
        ClaimsPrincipal user,
        HttpContext http,
        KnowledgeExporter exporter,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (!PartitionShape().IsMatch(tenantId))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The tenant id is malformed.",
                extensions: new Dictionary<string, object?> { ["code"] = ToolErrorCodes.InvalidArgument });
        }

        // A data partition is the tenant itself or nested in it ("<tenant>:<principal>"), never another tenant's.
        partition ??= tenantId;
        if (!PartitionShape().IsMatch(partition) || !(partition == tenantId || partition.StartsWith(tenantId + ":", StringComparison.Ordinal)))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The partition is not one of that tenant's data partitions.",
                extensions: new Dictionary<string, object?> { ["code"] = ToolErrorCodes.InvalidArgument });
        }

        var operatorId = user.FindFirst(PlatformClaims.Subject)?.Value ?? "unknown";
        var invocationId = Guid.CreateVersion7().ToString("N");
        var context = new TenantContext(tenantId, operatorId, PrincipalTypes.User, invocationId, partition, partition, partition);
        var logger = loggers.CreateLogger(typeof(KnowledgeExportApi));

        await using var documents = exporter.ExportAsync(context, cancellationToken).GetAsyncEnumerator(cancellationToken);
        bool any;
        try
        {
            // The first step opens the partition: failures still get a status code, not a cut stream.
            any = await documents.MoveNextAsync();
        }
        catch (KnowledgeToolException exception)
        {
            LogExportFailed(logger, operatorId, tenantId, invocationId, exception.Code);
            return TypedResults.Problem(
                statusCode: exception.Code == ToolErrorCodes.NotProvisioned ? StatusCodes.Status404NotFound : StatusCodes.Status503ServiceUnavailable,
                title: exception.Message, extensions: new Dictionary<string, object?> { ["code"] = exception.Code });
        }

        http.Response.ContentType = ContentType;
        http.Response.Headers["X-Export-Invocation-Id"] = invocationId;
        var count = 0;
        while (any)
        {
            await JsonSerializer.SerializeAsync(http.Response.Body, documents.Current, s_web, cancellationToken);
            await http.Response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken);
            count++;
            any = await documents.MoveNextAsync();
        }

        LogExported(logger, operatorId, tenantId, invocationId, count);
        return TypedResults.Empty;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,200}\z")]
    private static partial Regex PartitionShape();

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator {OperatorId} exported the knowledge of tenant {TenantId} ({Documents} documents, export {InvocationId}).")]
    private static partial void LogExported(ILogger logger, [TenantIdentity] string operatorId, [TenantIdentity] string tenantId, [TenantContent] string invocationId, int documents);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator {OperatorId} could not export the knowledge of tenant {TenantId} (export {InvocationId}): {Code}.")]
    private static partial void LogExportFailed(ILogger logger, [TenantIdentity] string operatorId, [TenantIdentity] string tenantId, [TenantContent] string invocationId, string code);
}
