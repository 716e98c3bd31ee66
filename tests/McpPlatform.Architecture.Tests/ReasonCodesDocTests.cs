using System.Text.RegularExpressions;
using McpPlatform.Core;

namespace McpPlatform.Architecture.Tests;

/// <summary>
/// The reason codes are a closed, documented set: the rows of docs/reason-codes.md's tables are
/// exactly <see cref="ReasonCodes.All"/> and <see cref="ToolErrorCodes.All"/>, so a code added in
/// one place and not the other fails here. The HTTP problem codes listed after them are not tool
/// results and are not part of the set.
/// </summary>
public sealed partial class ReasonCodesDocTests
{
    [Fact]
    public void ReasonCodesDoc_Rows_AreExactlyTheCodesInCore()
    {
        var doc = File.ReadAllText(Path.Combine(Repository.Root, "docs", "reason-codes.md"));
        // The tool result codes end where the HTTP problem codes (not tool results) begin.
        var end = doc.IndexOf("\n## HTTP problem codes", StringComparison.Ordinal);
        doc = end < 0 ? doc : doc[..end];
        var documented = Row().Matches(doc).Select(match => match.Groups[1].Value).ToList();
        string[] inCode = [.. ReasonCodes.All, .. ToolErrorCodes.All];

        documented.ShouldBeUnique();
        documented.ShouldBe(inCode, ignoreOrder: true);
    }

    [GeneratedRegex(@"^\| `([a-z0-9_.]+)` \|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
