using System.Text.Json;

namespace McpPlatform.AppHost.Tests.Support;

/// <summary>
/// The demo directory's development secrets, read from the same file the AppHost reads its
/// parameter defaults from, so tests never repeat the values.
/// </summary>
internal static class DemoSecrets
{
    private static readonly Lazy<Dictionary<string, string>> s_parameters = new(Load);

    /// <summary>The value of an AppHost parameter (names in <c>DemoDirectory.Parameters</c>).</summary>
    public static string Get(string parameterName) =>
        s_parameters.Value.TryGetValue(parameterName, out var value)
            ? value
            : throw new InvalidOperationException($"AppHost/appsettings.Development.json has no Parameters:{parameterName}.");

    private static Dictionary<string, string> Load()
    {
        var path = Path.Combine(AppHostProcess.RepositoryRoot, "AppHost", "appsettings.Development.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("Parameters").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }
}
