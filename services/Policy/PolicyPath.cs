using System.Globalization;
using System.Text.RegularExpressions;

namespace McpPlatform.Policy;

/// <summary>JSON paths into the policy document, as errors name them.</summary>
public static partial class PolicyPath
{
    /// <summary>The whole document.</summary>
    public const string Root = "$";

    /// <summary>A member: <c>$.tiers.standard</c>, or <c>$.tiers['tools-knowledge']</c> for names that are not identifiers.</summary>
    /// <param name="parent">The parent's path.</param>
    /// <param name="name">The member's name.</param>
    /// <returns>The member's path.</returns>
    public static string Member(string parent, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Identifier().IsMatch(name)
            ? $"{parent}.{name}"
            : $"{parent}['{name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}']";
    }

    /// <summary>An array item: <c>$.credentials.secrets[0]</c>.</summary>
    /// <param name="parent">The array's path.</param>
    /// <param name="index">The item's index.</param>
    /// <returns>The item's path.</returns>
    public static string Item(string parent, int index) => $"{parent}[{index.ToString(CultureInfo.InvariantCulture)}]";

    /// <summary>A JSON Pointer (<c>/tiers/standard</c>, as schema evaluation reports) as a JSON path.</summary>
    /// <param name="jsonPointer">The pointer text.</param>
    /// <returns>The path.</returns>
    public static string FromPointer(string jsonPointer)
    {
        ArgumentNullException.ThrowIfNull(jsonPointer);
        var path = Root;
        if (jsonPointer.Length == 0)
        {
            return path;
        }

        foreach (var segment in jsonPointer.TrimStart('#').Split('/').Skip(1))
        {
            var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            path = name.Length > 0 && name.All(char.IsAsciiDigit) && name.Length < 10
                ? Item(path, int.Parse(name, CultureInfo.InvariantCulture))
                : Member(path, name);
        }

        return path;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
