using System.Text.RegularExpressions;

namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>
/// The shape rules of a connection's fields, written once: the connections API checks a
/// definition with them before storing it, and the tools check names with them before a lookup.
/// </summary>
internal static partial class ConnectionRules
{
    /// <summary>Most path prefixes or methods one connection may list.</summary>
    public const int MaxListItems = 32;

    /// <summary>Longest credential prefix.</summary>
    public const int MaxPrefixLength = 32;

    /// <summary>The methods a connection may allow.</summary>
    public static readonly IReadOnlyList<string> KnownMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

    // Headers the HTTP stack owns, or that would change how the request is framed or routed.
    private static readonly HashSet<string> s_reservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Connection", "Upgrade", "TE", "Trailer",
        "Keep-Alive", "Expect", "Proxy-Authorization", "Proxy-Connection", "Cookie",
    };

    /// <summary>Connection and secret names: lowercase letters, digits, '.', '_', '-', starting with a letter or digit, 1-64.</summary>
    public static bool IsName(string? value) => value is not null && Name().IsMatch(value);

    /// <summary>An HTTP header name (RFC 9110 token) of 1-64 characters that the HTTP stack does not own.</summary>
    public static bool IsCredentialHeader(string? value) =>
        value is not null && HeaderName().IsMatch(value) && !s_reservedHeaders.Contains(value);

    /// <summary>Printable ASCII (space allowed) of at most <see cref="MaxPrefixLength"/> characters.</summary>
    public static bool IsCredentialPrefix(string? value) =>
        value is null || (value.Length <= MaxPrefixLength && value.All(c => c is >= ' ' and <= '~'));

    /// <summary>The method in upper case when it is one a connection may use, else null.</summary>
    public static string? Method(string? value) =>
        value is { Length: > 0 and <= 8 } && KnownMethods.FirstOrDefault(m => string.Equals(m, value, StringComparison.OrdinalIgnoreCase)) is { } known
            ? known
            : null;

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,63}\z")]
    private static partial Regex Name();

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}\z")]
    private static partial Regex HeaderName();
}
