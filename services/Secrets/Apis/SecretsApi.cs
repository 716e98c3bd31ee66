using System.Security.Cryptography;
using McpPlatform.Core;
using McpPlatform.Secrets.Audit;
using McpPlatform.Secrets.Extensions;
using McpPlatform.Secrets.Store;
using McpPlatform.ServiceDefaults.Apis;
using McpPlatform.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.Secrets.Apis;

/// <summary>
/// The tenant admin's API: create, list, rotate, delete. Values go in and never come out: every
/// answer is metadata or a problem. The tenant is the token's, never the request's.
/// </summary>
public static class SecretsApi
{
    /// <summary>Maps <c>/v1/secrets</c> behind the write policy (tenant admin, <c>secrets:write</c>).</summary>
    /// <param name="app">The routes.</param>
    /// <returns>The route group.</returns>
    public static RouteGroupBuilder MapSecretsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/secrets").RequireAuthorization(SecretsExtensions.WritePolicy)
            .AddEndpointFilter(new DatabaseOutageFilter(SecretErrorCodes.Unavailable, "The secrets store could not be reached; nothing was changed. Try again."));
        api.MapGet("/", ListAsync);
        api.MapGet("/{name}", GetAsync);
        api.MapPost("/", CreateAsync);
        api.MapPost("/{name}/rotate", RotateAsync);
        api.MapDelete("/{name}", DeleteAsync);
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<SecretMetadata>>, ProblemHttpResult>> ListAsync(HttpContext http, ISecretStore store)
    {
        if (Caller(http) is not { } caller)
        {
            return NoTenant();
        }

        return TypedResults.Ok(await store.ListAsync(caller.TenantId, http.RequestAborted));
    }

    private static async Task<Results<Ok<SecretMetadata>, ProblemHttpResult>> GetAsync(string name, HttpContext http, ISecretStore store)
    {
        if (Caller(http) is not { } caller)
        {
            return NoTenant();
        }

        if (SecretRules.CheckName(name) is { } error)
        {
            return Problem(error);
        }

        return await store.GetAsync(caller.TenantId, name, http.RequestAborted) is { } secret
            ? TypedResults.Ok(secret)
            : NotFound();
    }

    private static async Task<Results<Created<SecretMetadata>, ProblemHttpResult>> CreateAsync(
        HttpContext http, ISecretStore store, SecretAudit audit)
    {
        if (Caller(http) is not { } caller)
        {
            return NoTenant();
        }

        var (request, problem) = await JsonRequestBody.ReadAsync(http, SecretsJsonContext.Default.CreateSecretRequest, SecretRules.MaxWriteBodyBytes);
        if (request is null)
        {
            return problem!;
        }

        if (SecretRules.CheckCreate(request, out var value) is { } error)
        {
            return Problem(error);
        }

        try
        {
            var created = await store.CreateAsync(caller.TenantId, new NewSecret(request.Name!, value!,
                [.. request.AllowedServers!.Select(s => s!).Distinct(StringComparer.Ordinal)],
                [.. request.AllowedTools!.Select(t => t!).Distinct(StringComparer.Ordinal)],
                caller.PrincipalId), http.RequestAborted);
            if (created is null)
            {
                return Problems.Create(StatusCodes.Status409Conflict, SecretErrorCodes.Exists,
                    "The tenant already has a secret of that name; rotate it to change its value.");
            }

            audit.Change(caller, created.Name, SecretAudit.Created, created.Version);
            return TypedResults.Created($"/v1/secrets/{created.Name}", created);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(value);
        }
    }

    private static async Task<Results<Ok<SecretMetadata>, ProblemHttpResult>> RotateAsync(
        string name, HttpContext http, ISecretStore store, SecretAudit audit)
    {
        if (Caller(http) is not { } caller)
        {
            return NoTenant();
        }

        if (SecretRules.CheckName(name) is { } nameError)
        {
            return Problem(nameError);
        }

        var (request, problem) = await JsonRequestBody.ReadAsync(http, SecretsJsonContext.Default.RotateSecretRequest, SecretRules.MaxWriteBodyBytes);
        if (request is null)
        {
            return problem!;
        }

        if (SecretRules.CheckValue(request.Value, out var value) is { } error)
        {
            return Problem(error);
        }

        try
        {
            if (await store.RotateAsync(caller.TenantId, name, value!, caller.PrincipalId, http.RequestAborted) is not { } rotated)
            {
                return NotFound();
            }

            audit.Change(caller, rotated.Name, SecretAudit.Rotated, rotated.Version);
            return TypedResults.Ok(rotated);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(value);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, HttpContext http, ISecretStore store, SecretAudit audit)
    {
        if (Caller(http) is not { } caller)
        {
            return NoTenant();
        }

        if (SecretRules.CheckName(name) is { } error)
        {
            return Problem(error);
        }

        if (!await store.DeleteAsync(caller.TenantId, name, http.RequestAborted))
        {
            return NotFound();
        }

        audit.Change(caller, name, SecretAudit.Deleted, version: null);
        return TypedResults.NoContent();
    }

    // The write policy has checked the tenant and the role; the caller is read once from the claims.
    private static TenantCaller? Caller(HttpContext http) => TenantCaller.FromClaims(http.User).Caller;

    internal static ProblemHttpResult Problem(RuleError error) => Problems.Create(StatusCodes.Status400BadRequest, error.Code, error.Message,
        new() { ["errors"] = new Dictionary<string, string[]> { [error.Field] = [error.Message] } });

    internal static ProblemHttpResult NotFound() =>
        Problems.Create(StatusCodes.Status404NotFound, SecretErrorCodes.NotFound, "The tenant has no secret of that name.");

    private static ProblemHttpResult NoTenant() =>
        Problems.Create(StatusCodes.Status403Forbidden, SecretErrorCodes.Denied, "The token carries no tenant principal.");
}
