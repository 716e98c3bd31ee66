using McpPlatform.ServiceDefaults.Apis;
using McpPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.Partner.Apis;

/// <summary>
/// The partner API: every <c>/v1</c> call but <c>/v1/requests</c> needs an API key in
/// <c>X-Api-Key</c>, and what it presented is recorded whether or not the key was good.
/// </summary>
public static class PartnerApi
{
    /// <summary>The header a request carries its key in.</summary>
    public const string KeyHeader = "X-Api-Key";

    /// <summary>The largest body <c>POST /v1/echo</c> reads.</summary>
    public const int MaxEchoBytes = 64 * 1024;

    private const string TenantItem = "partner.tenant";

    private static readonly Dictionary<string, PartnerItem[]> s_items = new(StringComparer.Ordinal)
    {
        ["contoso"] = [new("c-1", "contoso", "Contoso purchase order 1001"), new("c-2", "contoso", "Contoso invoice 2002")],
        ["fabrikam"] = [new("f-1", "fabrikam", "Fabrikam shipment 3003"), new("f-2", "fabrikam", "Fabrikam contract 4004")],
    };

    /// <summary>Maps <c>/v1/whoami</c>, <c>/v1/items</c>, <c>/v1/echo</c> (keyed) and <c>/v1/requests</c>.</summary>
    /// <param name="app">The routes.</param>
    /// <returns>The keyed route group.</returns>
    public static RouteGroupBuilder MapPartnerApi(this IEndpointRouteBuilder app)
    {
        // What the stand-in received, for tests to compare with the hash of the key they expect.
        // Unkeyed on purpose (a sample, not a product): it shows digests, never keys, and is not itself recorded.
        app.MapGet("/v1/requests", (long? after, RequestLog log) => TypedResults.Ok(log.After(after ?? 0)));

        var api = app.MapGroup("/v1").AddEndpointFilter(RequireKeyAsync);
        api.MapGet("/whoami", (HttpContext http) => TypedResults.Ok(new { tenant = TenantOf(http) }));
        api.MapGet("/items", (HttpContext http) => TypedResults.Ok(s_items.GetValueOrDefault(TenantOf(http)) ?? []));
        api.MapPost("/echo", EchoAsync);
        return api;
    }

    private static async ValueTask<object?> RequireKeyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var values = http.Request.Headers[KeyHeader];
        var presented = values.Count == 1 ? values[0] : null;
        var keys = http.RequestServices.GetRequiredService<PartnerKeys>();
        var tenant = keys.TenantOf(presented);
        http.RequestServices.GetRequiredService<RequestLog>().Add(
            http.Request.Method, http.Request.Path.Value ?? string.Empty, tenant,
            string.IsNullOrEmpty(presented) ? null : PartnerKeys.Sha256Hex(presented));
        if (tenant is null)
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, PlatformErrorCodes.Unauthorized,
                $"Send a valid API key in the {KeyHeader} header.");
        }

        http.Items[TenantItem] = tenant;
        return await next(context);
    }

    private static string TenantOf(HttpContext http) => (string)http.Items[TenantItem]!;

    // Says what arrived, so a caller can see its body and content type went through unchanged in size.
    private static async Task<Results<Ok<EchoResponse>, ProblemHttpResult>> EchoAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > MaxEchoBytes)
        {
            return TooLarge();
        }

        var buffer = new byte[MaxEchoBytes + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await http.Request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        return read > MaxEchoBytes
            ? TooLarge()
            : TypedResults.Ok(new EchoResponse(TenantOf(http), read, http.Request.ContentType));
    }

    private static ProblemHttpResult TooLarge() =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, PlatformErrorCodes.TooLarge, $"The body exceeds {MaxEchoBytes} bytes.");
}
