namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>
/// The rule for a path a call (or an allowed prefix) may name, relative to a connection's base URL.
/// Paths are refused rather than repaired: a path that needs normalizing is one an agent was
/// tricked into, or one a server might read differently from this check. Refused: anything that
/// is not ASCII printable, a backslash or a fragment, an absolute or scheme-relative URL, an empty
/// segment (<c>//</c>), a <c>.</c> or <c>..</c> segment (also with a <c>;</c> parameter), and a percent-encoded dot, slash,
/// backslash, percent or control character (the encoded spellings of the same tricks).
/// </summary>
internal static class ConnectionPath
{
    /// <summary>Longest path and query accepted.</summary>
    public const int MaxLength = 2048;

    /// <summary>Checks a path with an optional query.</summary>
    /// <param name="value">The path as the caller gave it.</param>
    /// <param name="allowQuery">False for allow-list prefixes, which are paths only.</param>
    /// <returns>Null when the path is acceptable, else why not (a sentence that does not echo the path).</returns>
    public static string? Problem(string? value, bool allowQuery = true)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "The path is empty; give one starting with '/'.";
        }

        if (value.Length > MaxLength)
        {
            return $"The path is longer than {MaxLength} characters.";
        }

        foreach (var c in value)
        {
            if (c is < '!' or > '~' or '\\' or '#')
            {
                return "The path may contain printable ASCII only: no spaces, control characters, backslashes, fragments or non-ASCII (percent-encode those).";
            }
        }

        if (value[0] != '/' || value.StartsWith("//", StringComparison.Ordinal))
        {
            return "The path must be relative to the connection's base URL and start with a single '/'; absolute URLs are refused.";
        }

        var query = value.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0 && !allowQuery)
        {
            return "A path prefix has no query string.";
        }

        var path = query >= 0 ? value[..query] : value;
        var segments = path.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Length == 0 && i < segments.Length - 1)
            {
                return "The path has an empty segment ('//').";
            }

            // "..;x" is ".." to servers that strip path parameters (Tomcat, Spring).
            var semicolon = segment.IndexOf(';', StringComparison.Ordinal);
            if ((semicolon >= 0 ? segment[..semicolon] : segment) is "." or "..")
            {
                return "The path has a '.' or '..' segment.";
            }
        }

        return EncodingProblem(path) ?? (query >= 0 ? EncodingProblem(value[(query + 1)..], pathOnly: false) : null);
    }

    /// <summary>Whether a checked path falls under one of the allowed prefixes (a prefix without a trailing '/' ends at a segment boundary).</summary>
    /// <param name="pathAndQuery">A path that passed <see cref="Problem"/>.</param>
    /// <param name="prefixes">The connection's allowed prefixes.</param>
    /// <returns>True when allowed.</returns>
    public static bool IsUnder(string pathAndQuery, IEnumerable<string> prefixes)
    {
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = query >= 0 ? pathAndQuery[..query] : pathAndQuery;
        return prefixes.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal)
            && (path.Length == prefix.Length || prefix.EndsWith('/') || path[prefix.Length] == '/'));
    }

    // Every '%' starts a well-formed escape, and in the path none spells a character the segment
    // checks above look for. In the query only control characters are refused.
    private static string? EncodingProblem(string text, bool pathOnly = true)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                continue;
            }

            if (i + 2 >= text.Length || !Uri.IsHexDigit(text[i + 1]) || !Uri.IsHexDigit(text[i + 2]))
            {
                return "The path has a '%' that does not start a percent-encoded byte.";
            }

            var value = Convert.ToByte(text.Substring(i + 1, 2), 16);
            if (value is < 0x20 or 0x7F)
            {
                return "The path has a percent-encoded control character.";
            }

            if (pathOnly && value is (byte)'.' or (byte)'/' or (byte)'\\' or (byte)'%')
            {
                return "The path has a percent-encoded '.', '/', '\\' or '%'.";
            }

            i += 2;
        }

        return null;
    }
}
