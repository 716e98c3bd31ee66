using McpPlatform.ServiceDefaults.Apis;
using Npgsql;

namespace McpPlatform.Shared;

/// <summary>
/// Turns a PostgreSQL failure under an endpoint into 503 with the service's code and
/// <c>Retry-After</c>, never a 500, and clears the service's connection pool. After a server restart
/// every idle pooled connection is dead and Npgsql does not test them on checkout (by design), so
/// without the clear each of them would fail one more request; with it, the next request opens
/// fresh connections and the service recovers by itself. Linked as source into the services that
/// keep tenant data in PostgreSQL.
/// </summary>
/// <param name="code">The problem code the service answers an outage with.</param>
/// <param name="detail">The sentence for people.</param>
internal sealed class DatabaseOutageFilter(string code, string detail) : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (NpgsqlException) when (!context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            Recover(context.HttpContext.RequestServices);
            context.HttpContext.Response.Headers.RetryAfter = "1";
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, code, detail);
        }
    }

    /// <summary>Drops the idle connections of the service's data source, so the next request opens new ones.</summary>
    /// <param name="services">The request's services.</param>
    public static void Recover(IServiceProvider services) => services.GetService<NpgsqlDataSource>()?.Clear();
}
