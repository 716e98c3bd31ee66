using System.Xml.Linq;

namespace McpPlatform.Architecture.Tests;

/// <summary>One <c>*.csproj</c> as the rules see it: its SDK and what it references.</summary>
internal sealed record ProjectFile(
    string Name,
    string Path,
    string Sdk,
    IReadOnlyList<string> ProjectReferences,
    IReadOnlyList<string> BuildOnlyReferences,
    IReadOnlyList<string> PackageReferences,
    IReadOnlyList<string> FrameworkReferences,
    IReadOnlyList<string> LinkedSources)
{
    /// <summary>A deployable service: its folder has a Program.cs.</summary>
    public bool IsDeployable => File.Exists(System.IO.Path.Combine(Directory, "Program.cs"));

    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    public bool IsAspNetCore =>
        Sdk.Equals("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase)
        || FrameworkReferences.Contains("Microsoft.AspNetCore.App", StringComparer.OrdinalIgnoreCase)
        || PackageReferences.Any(package => package.StartsWith("Microsoft.AspNetCore.", StringComparison.OrdinalIgnoreCase));

    public IEnumerable<string> McpSdkPackages =>
        PackageReferences.Where(package => package.StartsWith("ModelContextProtocol", StringComparison.OrdinalIgnoreCase));

    public static ProjectFile Load(string path)
    {
        var document = XDocument.Load(path);
        var root = document.Root!;
        var directory = System.IO.Path.GetDirectoryName(path)!;
        var sdk = (string?)root.Attribute("Sdk") ?? (string?)root.Element("Sdk")?.Attribute("Name") ?? string.Empty;

        IReadOnlyList<string> Items(string kind) => root.Descendants(kind)
            .Select(item => (string?)item.Attribute("Include"))
            .OfType<string>()
            .ToList();

        string Resolve(string include) =>
            System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, include.Replace('\\', '/')));

        return new ProjectFile(
            NameOf(path),
            path,
            sdk.Split('/')[0],
            Items("ProjectReference").Select(include => NameOf(Resolve(include))).ToList(),
            // ReferenceOutputAssembly="false": built first (a process this one starts), no code shared.
            root.Descendants("ProjectReference")
                .Where(item => string.Equals((string?)item.Attribute("ReferenceOutputAssembly"), "false", StringComparison.OrdinalIgnoreCase))
                .Select(item => NameOf(Resolve((string)item.Attribute("Include")!)))
                .ToList(),
            Items("PackageReference"),
            Items("FrameworkReference"),
            // Only items that bring a file from elsewhere: Compile Include="..\Shared\X.cs".
            Items("Compile").Where(include => include.Contains("..", StringComparison.Ordinal)).Select(Resolve).ToList());
    }

    /// <summary><c>services/Quota/Engine/McpPlatform.Quota.Engine.csproj</c> → <c>Quota.Engine</c>.</summary>
    public static string NameOf(string path)
    {
        const string Prefix = "McpPlatform.";
        var name = System.IO.Path.GetFileNameWithoutExtension(path);
        return name.StartsWith(Prefix, StringComparison.Ordinal) ? name[Prefix.Length..] : name;
    }
}
