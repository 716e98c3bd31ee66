using McpPlatform.Core;

namespace McpPlatform.Policy.Tests;

/// <summary>The committed demo document and schema, found by walking up to McpPlatform.sln.</summary>
internal static class PolicyFiles
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string DemoDocumentPath => Path.Combine(RepositoryRoot, "AppHost", PlatformPolicyFile.AppHostRelativePath);

    public static string SchemaPath => Path.Combine(RepositoryRoot, "AppHost", PlatformPolicyFile.SchemaAppHostRelativePath);

    public static string DemoDocument() => File.ReadAllText(DemoDocumentPath);

    /// <summary>The demo document with one exact piece of text replaced (which must be there).</summary>
    public static string DemoWith(string find, string replace)
    {
        var text = DemoDocument();
        text.ShouldContain(find);
        return text.Replace(find, replace, StringComparison.Ordinal);
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
}
