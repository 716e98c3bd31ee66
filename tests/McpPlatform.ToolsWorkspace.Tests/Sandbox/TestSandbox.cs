using McpPlatform.ToolsWorkspace.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpPlatform.ToolsWorkspace.Tests.Sandbox;

/// <summary>The real worker program in this test's output (ToolWorker.targets copies it as for tools-workspace), probed like the service does.</summary>
internal static class TestSandbox
{
    public static string WorkerFolder { get; } = Path.Combine(AppContext.BaseDirectory, SandboxEnvironment.WorkerFolderName);

    public static SandboxEnvironment Environment(SandboxOptions options) => new(options, WorkerFolder, NullLogger.Instance);

    public static string NewWorkerId() => "test-" + Guid.NewGuid().ToString("N")[..8];
}
