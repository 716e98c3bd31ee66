using System.Security.Claims;
using System.Text.Json;
using McpPlatform.Core;
using McpPlatform.Secrets.Store;

namespace McpPlatform.Secrets.Apis;

/// <summary>
/// Who may read a value (docs/secrets.md, "Read path"): an RFC 8693 exchanged token for this
/// service (scope <c>secrets:read</c>, an invocation id, <c>act.sub</c> naming the acting MCP
/// server), of the secret's tenant, whose actor is in the secret's allowed servers, for a tool in
/// its allowed tools. A user's own token, even a tenant admin's, never reads a value.
/// </summary>
internal static class ReadAccess
{
    /// <summary>The immediate actor of an exchanged token (<c>act.sub</c>, RFC 8693 §4.1), or null.</summary>
    public static string? ActorOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
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
                && SecretRules.IsServer(sub.GetString())
                ? sub.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>True when the token is an exchanged read token: scope, invocation id and actor present.</summary>
    public static bool IsReadToken(ClaimsPrincipal user, string? actor) =>
        user.HasScope(PlatformScopes.SecretsRead)
        && !string.IsNullOrEmpty(user.FindFirst(PlatformClaims.InvocationId)?.Value)
        && actor is not null;

    /// <summary>True when the secret allows this server and this tool (exact, ordinal).</summary>
    public static bool Allows(SecretMetadata secret, string actor, string tool) =>
        secret.AllowedServers.Contains(actor, StringComparer.Ordinal) && secret.AllowedTools.Contains(tool, StringComparer.Ordinal);
}
