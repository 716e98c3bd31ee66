namespace McpPlatform.Architecture.Tests;

/// <summary>The repository this test runs from, found by walking up to McpPlatform.sln.</summary>
internal static class Repository
{
    private static readonly string[] ProjectFolders = ["services", "ServiceDefaults", "AppHost"];
    private static readonly Lazy<string> _root = new(FindRoot);
    private static readonly Lazy<IReadOnlyDictionary<string, ProjectFile>> _projects = new(LoadProjects);

    public static string Root => _root.Value;

    /// <summary>Every project under services/, ServiceDefaults/ and AppHost/, by name.</summary>
    public static IReadOnlyDictionary<string, ProjectFile> Projects => _projects.Value;

    /// <summary>
    /// The project and everything it references, directly or through other projects, each with the
    /// chain of references that reaches it (<c>Knowledge -> Core</c>), for messages.
    /// </summary>
    public static IEnumerable<(ProjectFile Project, string Chain)> Closure(string name)
    {
        var seen = new HashSet<string> { name };
        var queue = new Queue<(string Name, string Chain)>([(name, name)]);
        while (queue.TryDequeue(out var next))
        {
            var project = Projects[next.Name];
            yield return (project, next.Chain);
            foreach (var reference in project.ProjectReferences.Where(seen.Add))
            {
                queue.Enqueue((reference, $"{next.Chain} -> {reference}"));
            }
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpPlatform.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No McpPlatform.sln above {AppContext.BaseDirectory}.");
    }

    private static Dictionary<string, ProjectFile> LoadProjects() =>
        ProjectFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Root, folder), "*.csproj", SearchOption.AllDirectories))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Select(ProjectFile.Load)
            .ToDictionary(project => project.Name);
}
