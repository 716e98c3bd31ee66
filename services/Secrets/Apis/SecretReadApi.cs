using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using McpPlatform.Core;
using McpPlatform.Secrets.Audit;
using McpPlatform.Secrets.Crypto;
using McpPlatform.Secrets.Store;
using McpPlatform.ServiceDefaults.Apis;
using McpPlatform.Shared;

namespace McpPlatform.Secrets.Apis;

/// <summary>
/// The one way a value leaves the service: <c>POST /v1/secrets/{name}/read</c> with an exchanged
/// token of the secret's tenant, from an allowed server, for an allowed tool. Every attempt whose
/// token names a tenant principal is one <c>secret_read</c> record in that tenant's trail, granted
/// or refused. Another tenant's name answers exactly like a name that does not exist.
/// </summary>
public static partial class SecretReadApi
{
    /// <summary>Maps the read endpoint (any valid token for this service; the rules run inside, so refusals are audited).</summary>
    /// <param name="app">The routes.</param>
    /// <returns>The endpoint.</returns>
    public static RouteHandlerBuilder MapSecretReadApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/v1/secrets/{name}/read", ReadAsync).RequireAuthorization()
            .AddEndpointFilter(new DatabaseOutageFilter(SecretErrorCodes.Unavailable, "The secrets store could not be reached; nothing was read. Try again."));

    private static async Task<IResult> ReadAsync(
        string name, HttpContext http, ISecretStore store, SecretAudit audit, ILoggerFactory loggers)
    {
        var started = Stopwatch.GetTimestamp();
        if (TenantCaller.FromClaims(http.User).Caller is not { } caller)
        {
            // No tenant principal in the token: no trail it could be written to.
            return Problems.Create(StatusCodes.Status403Forbidden, SecretErrorCodes.Denied, "The token carries no tenant principal.");
        }

        if (SecretRules.CheckName(name) is { } nameError)
        {
            return SecretsApi.Problem(nameError);
        }

        var (request, problem) = await JsonRequestBody.ReadAsync(http, SecretsJsonContext.Default.ReadSecretRequest, SecretRules.MaxReadBodyBytes);
        if (request is null)
        {
            return problem!;
        }

        if (SecretRules.CheckTool(request.Tool) is { } toolError)
        {
            return SecretsApi.Problem(toolError);
        }

        var tool = request.Tool!;
        var actor = ReadAccess.ActorOf(http.User);
        var invocationId = http.User.FindFirst(PlatformClaims.InvocationId)?.Value;
        SecretReadFacts Facts(string? reasonCode, int? version = null) =>
            new(name, tool, actor, invocationId, reasonCode, version, Stopwatch.GetElapsedTime(started).TotalMilliseconds);

        if (!ReadAccess.IsReadToken(http.User, actor))
        {
            audit.Read(caller, Facts(SecretErrorCodes.Denied));
            return Problems.Create(StatusCodes.Status403Forbidden, SecretErrorCodes.Denied,
                "Values are read only with a token exchanged by an MCP server for one invocation (scope secrets:read).");
        }

        SecretRead read;
        try
        {
            read = await store.ReadAsync(caller.TenantId, name, secret => ReadAccess.Allows(secret, actor!, tool), http.RequestAborted);
        }
        catch (Exception exception) when (exception is CryptographicException or KeyEncryptionKeyMismatchException)
        {
            // The exception names key ids at most, never a value; the caller learns only that the key is unusable.
            LogKeyUnavailable(loggers.CreateLogger(typeof(SecretReadApi).FullName!), exception);
            audit.Read(caller, Facts(SecretErrorCodes.KeyUnavailable));
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, SecretErrorCodes.KeyUnavailable,
                "The secret cannot be decrypted with the service's current key.");
        }

        if (read.Metadata is null)
        {
            audit.Read(caller, Facts(SecretErrorCodes.NotFound));
            return SecretsApi.NotFound();
        }

        if (read.Value is not { } value)
        {
            audit.Read(caller, Facts(SecretErrorCodes.Denied));
            return Problems.Create(StatusCodes.Status403Forbidden, SecretErrorCodes.Denied,
                "The secret does not allow this server or this tool.");
        }

        if (!await audit.GrantedReadAsync(caller, Facts(null, read.Metadata.Version)) && audit.FailsClosed)
        {
            // No value leaves without its read on the tenant's trail.
            value.Dispose();
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, SecretErrorCodes.Unavailable,
                "The read could not be audited now; nothing was returned. Try again.");
        }

        return new ValueResult(value);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A secret could not be decrypted: its data key does not match the key-encryption key.")]
    private static partial void LogKeyUnavailable(ILogger logger, Exception exception);

    /// <summary>
    /// Writes <c>{"value": "…"}</c> straight from the decrypted UTF-8 bytes (no managed string of
    /// the value is ever made here) with <c>Cache-Control: no-store</c>, then zeroes the bytes.
    /// </summary>
    private sealed class ValueResult(SecretPlaintext value) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            try
            {
                var response = httpContext.Response;
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/json; charset=utf-8";
                response.Headers.CacheControl = "no-store";
                response.Headers.Pragma = "no-cache";
                await using var writer = new Utf8JsonWriter(response.BodyWriter);
                writer.WriteStartObject();
                writer.WriteString("value"u8, value.Utf8);
                writer.WriteEndObject();
                await writer.FlushAsync(httpContext.RequestAborted);
            }
            finally
            {
                value.Dispose();
            }
        }
    }
}
