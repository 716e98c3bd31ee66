using CsCheck;
using McpPlatform.ToolsWorkspace.Connections;

namespace McpPlatform.ToolsWorkspace.Tests;

/// <summary>
/// Generated paths made of the characters traversal and encoding tricks are built from: the rule
/// never throws, and whatever it accepts stays under the prefix once <see cref="Uri"/> has parsed
/// the final URL (the form the request is sent in).
/// </summary>
public sealed class ConnectionPathPropertyTests
{
    private const string Origin = "http://localhost:5710";
    private static readonly string[] s_prefixes = ["/v1/"];

    private static readonly Gen<string> s_piece = Gen.OneOf(
        Gen.Const(string.Empty),
        Pick("/", ".", "..", "%", "%2e", "%2E", "%2f", "%2F", "%5c", "%5C", "%25", "%00", "%0a", "%20", "\\", "?", "#", ":",
            "//", "http:", "@", "v1", "v2", "a", "admin", "~", "\u0000", "\n", "\r", " ", "\t", "\u00e9", "\ud800", ";", "=", "&"),
        Gen.Char.Select(c => c.ToString()));

    private static readonly Gen<string> s_path = Gen.OneOf(
        s_piece.Array[0, 12].Select(parts => string.Concat(parts)),
        s_piece.Array[0, 12].Select(parts => "/v1/" + string.Concat(parts)));

    private static Gen<string> Pick(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    [Fact]
    public void Problem_GeneratedPaths_NeverThrow()
    {
        s_path.Sample(path =>
        {
            _ = ConnectionPath.Problem(path);
            _ = ConnectionPath.Problem(path, allowQuery: false);
        }, iter: 20_000);
    }

    [Fact]
    public void Problem_AcceptedPathsUnderThePrefix_StayUnderItAfterUriParsing()
    {
        s_path.Sample(path =>
        {
            if (ConnectionPath.Problem(path) is not null || !ConnectionPath.IsUnder(path, s_prefixes))
            {
                return true;
            }

            var uri = new Uri(Origin + path, UriKind.Absolute);
            var decoded = Uri.UnescapeDataString(uri.AbsolutePath);
            return uri.GetLeftPart(UriPartial.Authority) == Origin
                && uri.AbsolutePath.StartsWith("/v1/", StringComparison.Ordinal)
                && !decoded.Split('/').Any(segment => segment.Split(';')[0] is "." or "..")
                && !decoded.Contains('\\', StringComparison.Ordinal)
                && !decoded.Contains("//", StringComparison.Ordinal)
                && !decoded.Any(char.IsControl);
        }, iter: 20_000);
    }

    [Fact]
    public void Problem_PathsWithATrickInserted_AreAlwaysRefused()
    {
        var tricks = Pick("/../", "/./", "/..;/", "//", "/%2e%2e/", "/%2E%2e/", "/.%2e/", "/%2e./", "%2f", "%2F", "%5c", "\\",
            "%00", "\u0000", "\r\n", " ", "#", "\u00e9");
        // Before the query: in the query these are data, not path.
        var beforeQuery = s_piece.Array[0, 6].Where(parts => !string.Concat(parts).Contains('?', StringComparison.Ordinal));
        Gen.Select(beforeQuery, tricks, s_piece.Array[0, 6]).Sample((before, trick, after) =>
        {
            var path = "/v1" + string.Concat(before) + trick + string.Concat(after);
            return ConnectionPath.Problem(path) is not null;
        }, iter: 20_000);
    }
}
