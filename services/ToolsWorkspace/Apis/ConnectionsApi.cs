using System.Diagnostics;
using System.Text.Json;
using McpPlatform.Audit;
using McpPlatform.Core;
using McpPlatform.ServiceDefaults.Apis;
using McpPlatform.ToolsWorkspace.Connections;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace McpPlatform.ToolsWorkspace.Apis;

/// <summary>
/// The connections API for tenant admins: list, create or replace, delete. The tenant comes from
/// the token only; every change is a <c>connection_change</c> record in the tenant's audit trail.
/// </summary>
public static class ConnectionsApi
{
    /// <summary>Tenant admins with <c>workspace:admin</c> for this server.</summary>
    public const string AdminPolicy = "workspace-admin";

    /// <summary>Largest body a PUT reads.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Maps <c>GET /v1/connections</c>, <c>PUT /v1/connections/{name}</c> and <c>DELETE /v1/connections/{name}</c>.</summary>
    /// <param name="app">The routes.</param>
    /// <returns>The route group.</returns>
    public static RouteGroupBuilder MapConnectionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/connections").RequireAuthorization(AdminPolicy);
        api.MapGet("/", ListAsync);
        api.MapPut("/{name}", PutAsync);
        api.MapDelete("/{name}", DeleteAsync);
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<Connection>>, ProblemHttpResult>> ListAsync(
        HttpContext http, ConnectionStore store, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await store.ListAsync(Caller(http).TenantId, cancellationToken));
        }
        catch (NpgsqlException)
        {
            store.Recover();
            return Unavailable();
        }
    }

    private static async Task<Results<Created<Connection>, Ok<Connection>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string name, HttpContext http, ConnectionStore store, EgressPolicy egress, AuditEmitter audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!ConnectionRules.IsName(name))
        {
            return Problems.Invalid(new() { ["name"] = ["The connection name must be 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit."] });
        }

        var (request, problem) = await JsonRequestBody.ReadAsync(http, WorkspaceJsonContext.Default.ConnectionRequest, MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var (connection, errors) = ConnectionValidation.Check(name, request!);
        if (connection is null)
        {
            return Problems.Invalid(errors);
        }

        if (!egress.IsAllowed(connection.BaseUrl))
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "connection.egress_denied",
                "baseUrl is not on the platform's egress allow-list (Workspace:Egress:AllowedOrigins); ask the platform operator.");
        }

        var caller = Caller(http);
        bool created;
        try
        {
            created = await store.UpsertAsync(caller.TenantId, connection, caller.PrincipalId, cancellationToken);
        }
        catch (NpgsqlException)
        {
            store.Recover();
            return Unavailable();
        }

        audit.Emit(Record(caller, created ? "created" : "replaced", connection.Name, connection, time));
        return created
            ? TypedResults.Created($"/v1/connections/{connection.Name}", connection)
            : TypedResults.Ok(connection);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        string name, HttpContext http, ConnectionStore store, AuditEmitter audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!ConnectionRules.IsName(name))
        {
            return Problems.Invalid(new() { ["name"] = ["The connection name must be 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit."] });
        }

        var caller = Caller(http);
        bool deleted;
        try
        {
            deleted = await store.DeleteAsync(caller.TenantId, name, cancellationToken);
        }
        catch (NpgsqlException)
        {
            store.Recover();
            return Unavailable();
        }

        if (!deleted)
        {
            return Problems.Create(StatusCodes.Status404NotFound, ToolErrorCodes.ConnectionNotFound, "Your tenant has no connection of that name.");
        }

        audit.Emit(Record(caller, "deleted", name, connection: null, time));
        return TypedResults.NoContent();
    }

    // The policy has checked the token names a tenant and a user.
    private static TenantCaller Caller(HttpContext http) => TenantCaller.FromClaims(http.User).Caller!;

    private static ProblemHttpResult Unavailable() =>
        Problems.Create(StatusCodes.Status503ServiceUnavailable, ToolErrorCodes.ConnectionUnavailable, "The connection store could not be reached; try again.");

    // What changed, never a credential (a connection holds none: only the secret's name).
    private static AuditRecord Record(TenantCaller caller, string action, string name, Connection? connection, TimeProvider time)
    {
        var id = Guid.CreateVersion7(time.GetUtcNow());
        var detail = new Dictionary<string, object?>(StringComparer.Ordinal) { ["action"] = action, ["connection"] = name };
        if (connection is not null)
        {
            detail["baseUrl"] = connection.BaseUrl;
            detail["secretName"] = connection.SecretName;
            detail["credentialHeader"] = connection.CredentialHeader;
            detail["allowedPathPrefixes"] = connection.AllowedPathPrefixes;
            detail["allowedMethods"] = connection.AllowedMethods;
        }

        return new AuditRecord
        {
            Id = id,
            OccurredAt = time.GetUtcNow(),
            Kind = AuditKinds.ConnectionChange,
            TenantId = caller.TenantId,
            AuditPartition = caller.AuditPartition,
            PrincipalId = caller.PrincipalId,
            PrincipalType = caller.PrincipalType,
            InvocationId = "connection-" + id.ToString("N"),
            Outcome = AuditOutcomes.Success,
            TraceId = Activity.Current is { } activity ? activity.TraceId.ToHexString() : null,
            Detail = JsonSerializer.SerializeToElement(detail),
        };
    }
}
