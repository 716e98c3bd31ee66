using McpPlatform.Identity.Data;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace McpPlatform.Identity.Exchange;

/// <summary>
/// Stands in for OpenIddict's authorized-party check on token exchange. OpenIddict accepts a subject
/// token when its audience or presenter is the caller's client id; our audiences are resource URLs
/// (RFC 8707), so the rule becomes: the subject token's one audience is the resource the calling
/// server serves. Other grants keep OpenIddict's own check unchanged. A refusal here is audited
/// into the subject's tenant trail like the endpoint's (<see cref="ExchangeAudit"/>).
/// </summary>
internal sealed class ValidateSubjectTokenAudience(IOpenIddictApplicationManager applications, ExchangeAudit audit)
    : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    private static readonly OpenIddictServerHandlers.Exchange.ValidateAuthorizedParty _builtIn = new();

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseScopedHandler<ValidateSubjectTokenAudience>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateAuthorizedParty.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.IsTokenExchangeGrantType())
        {
            await _builtIn.HandleAsync(context);
            return;
        }

        var application = string.IsNullOrEmpty(context.ClientId)
            ? null
            : await applications.FindByClientIdAsync(context.ClientId, context.CancellationToken);
        var properties = application is null
            ? null
            : await applications.GetPropertiesAsync(application, context.CancellationToken);
        var resource = ClientProperties.Read(properties, ClientProperties.Resource);

        var audiences = context.SubjectTokenPrincipal?.GetAudiences() ?? [];
        if (!ExchangeRules.WasSentTo(audiences, resource))
        {
            // The subject token is valid here, so its tenant learns that a server tried to
            // exchange a token that was not sent to it.
            var decision = ExchangeDecision.Deny(Errors.InvalidGrant, "The subject token was not issued for this server.");
            await audit.RecordAsync(ExchangeAudit.Facts(context.Request, context.ClientId ?? string.Empty, properties, [], context.SubjectTokenPrincipal),
                decision, context.Transaction);
            context.Reject(decision.Error, decision.Description);
        }
    }
}
