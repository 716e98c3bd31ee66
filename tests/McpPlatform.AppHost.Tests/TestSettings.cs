namespace McpPlatform.AppHost.Tests;

/// <summary>Bounds on every wait in this assembly: a broken platform fails the test, never hangs it.</summary>
internal static class TestSettings
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(1);

    /// <summary>A folder for local-mode data that the test owns and deletes.</summary>
    public static string NewDataFolder() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"mcpplatform-test-{Guid.NewGuid():N}")).FullName;
}
