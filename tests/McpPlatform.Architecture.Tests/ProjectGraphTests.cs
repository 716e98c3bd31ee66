using System.Text.RegularExpressions;

namespace McpPlatform.Architecture.Tests;

/// <summary>
/// The project references are exactly <see cref="AllowedGraph"/>, and docs/architecture.md draws
/// exactly that graph: a new dependency is a visible edit of the table and the diagram.
/// </summary>
public sealed partial class ProjectGraphTests
{
    [Fact]
    public void EveryProject_IsInTheAllowedGraph()
    {
        var missing = Repository.Projects.Keys.Except(AllowedGraph.Edges.Keys).ToList();
        var gone = AllowedGraph.Edges.Keys.Except(Repository.Projects.Keys).ToList();

        missing.ShouldBeEmpty($"add these projects to AllowedGraph: {string.Join(", ", missing)}");
        gone.ShouldBeEmpty($"AllowedGraph lists projects that do not exist: {string.Join(", ", gone)}");
    }

    [Fact]
    public void EveryProjectReference_IsInTheAllowedGraph()
    {
        var offenders = Actual().Except(AllowedGraph.All).Select(edge => $"{edge.From} -> {edge.To}").ToList();

        offenders.ShouldBeEmpty(
            "references not in AllowedGraph (add them there and to docs/architecture.md only if the dependency is meant):\n"
            + string.Join("\n", offenders));
    }

    [Fact]
    public void EveryAllowedEdge_IsAProjectReference()
    {
        var offenders = AllowedGraph.All.Except(Actual()).Select(edge => $"{edge.From} -> {edge.To}").ToList();

        offenders.ShouldBeEmpty("AllowedGraph lists references no project file has (remove them):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void ArchitectureDoc_DrawsTheAllowedGraph()
    {
        var doc = File.ReadAllText(Path.Combine(Repository.Root, "docs", "architecture.md"));
        var diagram = Diagram().Match(doc);
        diagram.Success.ShouldBeTrue("docs/architecture.md has a ```mermaid graph TD block of the project references");

        var drawn = Edge().Matches(diagram.Groups["body"].Value)
            .Select(match => (From: match.Groups["from"].Value, To: match.Groups["to"].Value))
            .ToHashSet();
        var allowed = AllowedGraph.All.Select(edge => (From: NodeId(edge.From), To: NodeId(edge.To))).ToHashSet();

        var missing = allowed.Except(drawn).Select(edge => $"{edge.From} --> {edge.To}").ToList();
        var extra = drawn.Except(allowed).Select(edge => $"{edge.From} --> {edge.To}").ToList();
        missing.ShouldBeEmpty("docs/architecture.md's diagram lacks:\n" + string.Join("\n", missing));
        extra.ShouldBeEmpty("docs/architecture.md's diagram has edges AllowedGraph does not:\n" + string.Join("\n", extra));
    }

    private static IEnumerable<(string From, string To)> Actual() =>
        Repository.Projects.Values.SelectMany(project => project.ProjectReferences.Select(to => (project.Name, to)));

    // Mermaid node ids cannot hold dots: Quota.Engine is drawn as QuotaEngine.
    private static string NodeId(string project) => project.Replace(".", string.Empty, StringComparison.Ordinal);

    [GeneratedRegex(@"```mermaid\s*\ngraph TD\s*\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Diagram();

    [GeneratedRegex(@"^\s*(?<from>\w+)\s*-->\s*(?<to>\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Edge();
}
