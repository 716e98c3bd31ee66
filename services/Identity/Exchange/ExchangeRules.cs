using McpPlatform.Core;
using McpPlatform.Identity.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace McpPlatform.Identity.Exchange;

/// <summary>
/// The platform's RFC 8693 rules (docs/identity.md, "Token exchange rules"). OpenIddict has already
/// authenticated the client, checked its grant and resource permissions and validated the subject
/// token's signature, issuer and lifetime; these rules decide what OpenIddict cannot know.
/// </summary>
public static class ExchangeRules
{
    /// <summary>Longest accepted invocation id; ids are opaque but not payloads.</summary>
    public const int MaxInvocationIdLength = 128;

    /// <summary>True when a token has exactly one audience and it is this server's resource.</summary>
    public static bool WasSentTo(IReadOnlyCollection<string> audiences, string? serverResource) =>
        !string.IsNullOrEmpty(serverResource) && audiences.Count == 1 &&
        string.Equals(audiences.First(), serverResource, StringComparison.Ordinal);

    public static ExchangeDecision Evaluate(ExchangeFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);

        // Agents and users hold tokens; only MCP servers act for someone else.
        if (facts.ClientKind != ClientKinds.ResourceServer || string.IsNullOrEmpty(facts.ClientResource))
        {
            return ExchangeDecision.Deny(Errors.UnauthorizedClient, "Only registered MCP server clients may exchange tokens.");
        }

        // The actor is always the authenticated client; an actor token could name someone else.
        if (facts.HasActorToken)
        {
            return ExchangeDecision.Deny(Errors.InvalidRequest, "actor_token is not accepted: the actor is the authenticated client.");
        }

        if (facts.SubjectTokenType != TokenExchange.AccessTokenType)
        {
            return ExchangeDecision.Deny(Errors.InvalidRequest, "subject_token_type must be an access token.");
        }

        var targets = facts.RequestedTargets.Distinct(StringComparer.Ordinal).ToList();
        if (targets.Count != 1)
        {
            return ExchangeDecision.Deny(Errors.InvalidTarget, "Exactly one audience or resource is required.");
        }

        var target = PlatformResources.Find(targets[0]);
        if (target is null || !facts.AllowedTargets.Contains(target.Uri, StringComparer.Ordinal))
        {
            return ExchangeDecision.Deny(Errors.InvalidTarget, "This client may not exchange tokens for the requested audience.");
        }

        if (string.Equals(target.Uri, facts.ClientResource, StringComparison.Ordinal))
        {
            return ExchangeDecision.Deny(Errors.InvalidTarget, "A server cannot exchange a token for its own audience.");
        }

        if (string.IsNullOrWhiteSpace(facts.InvocationId) || facts.InvocationId.Length > MaxInvocationIdLength)
        {
            return ExchangeDecision.Deny(Errors.InvalidRequest, $"The '{TokenExchange.InvocationIdParameter}' parameter is required (at most {MaxInvocationIdLength} characters).");
        }

        // A server may only exchange tokens that were sent to it: one audience, its own.
        if (!WasSentTo(facts.SubjectAudiences, facts.ClientResource))
        {
            return ExchangeDecision.Deny(Errors.InvalidGrant, "The subject token was not issued for this server.");
        }

        if (string.IsNullOrEmpty(facts.SubjectTenantId) || string.IsNullOrEmpty(facts.SubjectSubject) ||
            string.IsNullOrEmpty(facts.SubjectPrincipalType))
        {
            return ExchangeDecision.Deny(Errors.InvalidGrant, "The subject token carries no tenant principal.");
        }

        if (ActorChain.Depth(facts.SubjectActor) >= TokenExchange.MaxActorChainDepth)
        {
            return ExchangeDecision.Deny(Errors.InvalidGrant, $"The actor chain would exceed {TokenExchange.MaxActorChainDepth} actors.");
        }

        return ExchangeDecision.Allow(target);
    }
}
