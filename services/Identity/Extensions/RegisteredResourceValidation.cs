using McpPlatform.Identity.Data;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace McpPlatform.Identity.Extensions;

/// <summary>
/// Refuses resource indicators that are not in <see cref="PlatformResources"/>, comparing the exact
/// strings. Replaces OpenIddict's own check, which compares normalised URIs and would turn the
/// downstream audience <c>http://localhost:5700</c> into <c>http://localhost:5700/</c>: resource
/// servers compare audiences as exact strings, so we must too.
/// </summary>
internal static class RegisteredResourceValidation
{
    public static OpenIddictServerBuilder ValidateRegisteredResources(this OpenIddictServerBuilder options)
    {
        options.DisableResourceValidation();
        options.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler
            .UseInlineHandler(context => Validate(context.Request, context))
            .SetOrder(OpenIddictServerHandlers.Authentication.ValidateResources.Descriptor.Order));
        options.AddEventHandler<ValidateTokenRequestContext>(handler => handler
            .UseInlineHandler(context => Validate(context.Request, context))
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateResources.Descriptor.Order));
        return options;
    }

    private static ValueTask Validate(OpenIddictRequest request, BaseValidatingContext context)
    {
        if (request.GetResources().Any(resource => PlatformResources.Find(resource) is null))
        {
            context.Reject(Errors.InvalidTarget, "The 'resource' parameter names a resource this server does not issue tokens for.");
        }

        return ValueTask.CompletedTask;
    }
}
