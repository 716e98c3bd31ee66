using OpenIddict.Abstractions;
using OpenIddict.Server;

namespace McpPlatform.Identity.Exchange;

/// <summary>
/// Counts token-exchange refusals OpenIddict made before the platform's rules ran (client
/// authentication, grant or resource permissions, an invalid subject token) and that nothing
/// audited: they have no validated tenant, so they go to the tenant-free metric only.
/// </summary>
internal sealed class CountUnauditedExchangeRefusals(ExchangeAudit audit)
    : IOpenIddictServerHandler<OpenIddictServerEvents.ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<OpenIddictServerEvents.ApplyTokenResponseContext>()
            .UseSingletonHandler<CountUnauditedExchangeRefusals>()
            // Before OpenIddict writes the response (and stops processing).
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(OpenIddictServerEvents.ApplyTokenResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request?.IsTokenExchangeGrantType() == true && context.Response.Error is { Length: > 0 } error
            && !ExchangeAudit.WasAudited(context.Transaction))
        {
            audit.CountUnaudited(error);
        }

        return default;
    }
}
