using System.Diagnostics;
using System.Text.Json;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Mcp;

/// <summary>A real third-party MCP client: the MCP Inspector CLI (npm), run from its own build folder.</summary>
public sealed class InspectorCliTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string BuildFolder => Path.Combine(AppHostProcess.RepositoryRoot,
        "tests", "clients", "node_modules", "@modelcontextprotocol", "inspector-cli", "build");

    [Fact]
    public async Task InspectorCli_BearerHeaderAndMeta_CallsWhoAmIForContoso()
    {
        Directory.Exists(BuildFolder).ShouldBeTrue($"{BuildFolder} is missing: run eng/test.sh (it runs npm ci in tests/clients).");
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);
        var token = await PlatformTokens.ContosoAgentAsync(Cancel);
        var invocationId = $"inspector-{Guid.NewGuid():N}";

        var (exitCode, output) = await RunAsync(
            PlatformServices.ToolsKnowledge.LocalMcpResource,
            "--method", "tools/call", "--tool-name", "whoami",
            "--header", $"Authorization: Bearer {token}",
            "--tool-metadata", $"{McpConventions.InvocationIdMetaKey}={invocationId}");

        exitCode.ShouldBe(0, output);
        using var document = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]);
        var who = document.RootElement.GetProperty("structuredContent");
        who.GetProperty("tenantId").GetString().ShouldBe(DemoDirectory.ContosoTenantId);
        who.GetProperty("principalType").GetString().ShouldBe(PrincipalTypes.Agent);
        who.GetProperty("invocationId").GetString().ShouldBe(invocationId);
    }

    [Fact]
    public async Task InspectorCli_NoToken_FailsToConnect()
    {
        Directory.Exists(BuildFolder).ShouldBeTrue($"{BuildFolder} is missing: run eng/test.sh.");
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);

        var (exitCode, output) = await RunAsync(PlatformServices.ToolsKnowledge.LocalMcpResource, "--method", "tools/list");

        // The server answers 401 with an empty body; the CLI reports the failed connection.
        exitCode.ShouldNotBe(0, output);
        output.ShouldContain("Failed to connect");
        output.ShouldNotContain("whoami");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = BuildFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("index.js");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Cancel);
        var stderr = process.StandardError.ReadToEndAsync(Cancel);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TestSettings.StepTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
