using McpPlatform.Core;
using Microsoft.AspNetCore.Http;

namespace McpPlatform.McpServer.Hosting;

/// <summary>
/// The caller of one HTTP request, read from its validated token once and kept in the request's
/// features: the fair scheduler and the call pipeline's tenant step ask here instead of reading
/// the claims again.
/// </summary>
internal sealed class TenantCallerFeature(TenantCallerResult result)
{
    public TenantCallerResult Result { get; } = result;

    public static TenantCallerResult Of(HttpContext context)
    {
        if (context.Features.Get<TenantCallerFeature>() is { } known)
        {
            return known.Result;
        }

        var feature = new TenantCallerFeature(TenantCaller.FromClaims(context.User));
        context.Features.Set(feature);
        return feature.Result;
    }
}
