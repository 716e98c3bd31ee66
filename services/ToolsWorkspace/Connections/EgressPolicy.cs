using Microsoft.Extensions.Options;

namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>Decides whether a base URL is an origin on the egress allow-list, and spells origins one way.</summary>
public sealed class EgressPolicy(IOptionsMonitor<EgressOptions> options)
{
    /// <summary>
    /// The origin of an absolute http(s) URL with no user info, path, query or fragment
    /// (<c>http://localhost:5710</c>; default ports omitted), or null when it is anything else.
    /// </summary>
    /// <param name="value">The URL as given.</param>
    /// <returns>The origin, or null.</returns>
    public static string? Origin(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 2048 || value.Any(c => c is < '!' or > '~')
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo)
            || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment)
            || value.EndsWith('?') || value.EndsWith('#') || string.IsNullOrEmpty(uri.IdnHost))
        {
            return null;
        }

        return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
    }

    /// <summary>Whether the base URL's origin is on the allow-list (compared in <see cref="Origin"/>'s spelling).</summary>
    /// <param name="baseUrl">A connection's base URL.</param>
    /// <returns>True when calls may go there.</returns>
    public bool IsAllowed(string? baseUrl) =>
        Origin(baseUrl) is { } origin
        && options.CurrentValue.AllowedOrigins.Any(allowed => string.Equals(Origin(allowed), origin, StringComparison.Ordinal));
}
