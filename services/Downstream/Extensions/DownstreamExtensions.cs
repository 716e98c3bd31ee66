using System.Security.Claims;
using System.Text.Json;
using McpPlatform.Core;
using McpPlatform.Downstream.Apis;

namespace McpPlatform.Downstream.Extensions;

/// <summary>Registration of the sample downstream API.</summary>
public static class DownstreamExtensions
{
    /// <summary>The policy every API call must meet: an exchanged token from an allowed MCP server.</summary>
    public const string ExchangedIdentityPolicy = "exchanged-identity";

    /// <summary>
    /// Accepts only tokens obtained by token exchange for this API: audience = this service,
    /// scope <c>downstream:api</c>, a tenant, a principal, an invocation id, and an <c>act</c>
    /// claim naming an MCP server allowed to act (<c>Downstream:AllowedActors</c>).
    /// </summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddDownstreamServices(this IHostApplicationBuilder builder)
    {
        var audience = builder.Configuration["Downstream:Audience"] ?? PlatformServices.Downstream.LocalOrigin;
        var allowedActors = builder.Configuration.GetSection("Downstream:AllowedActors").Get<string[]>()
            ?? [PlatformServices.ToolsKnowledge.ResourceName, PlatformServices.ToolsWorkspace.ResourceName];

        builder.AddPlatformTokenValidation(audience);
        builder.Services.AddAuthorizationBuilder().AddPolicy(ExchangedIdentityPolicy, policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context => IsExchangedIdentity(context.User, allowedActors)));
        builder.Services.AddSingleton<CallLog>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>The acting server named by the token's <c>act</c> claim (RFC 8693 §4.1), if any.</summary>
    /// <param name="user">The validated caller.</param>
    /// <returns>The actor's <c>sub</c>, or null.</returns>
    public static string? ActorOf(ClaimsPrincipal user)
    {
        var act = user.FindFirst(PlatformClaims.Actor)?.Value;
        if (string.IsNullOrEmpty(act))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(act);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(PlatformClaims.Subject, out var sub) && sub.ValueKind == JsonValueKind.String
                ? sub.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsExchangedIdentity(ClaimsPrincipal user, string[] allowedActors) =>
        user.HasScope(PlatformScopes.DownstreamApi)
        && !string.IsNullOrEmpty(user.FindFirst(PlatformClaims.TenantId)?.Value)
        && !string.IsNullOrEmpty(user.FindFirst(PlatformClaims.Subject)?.Value)
        && !string.IsNullOrEmpty(user.FindFirst(PlatformClaims.InvocationId)?.Value)
        && user.FindFirst(PlatformClaims.PrincipalType)?.Value is PrincipalTypes.User or PrincipalTypes.Agent
        && ActorOf(user) is { } actor && allowedActors.Contains(actor, StringComparer.Ordinal);
}
