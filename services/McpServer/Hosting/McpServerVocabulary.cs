using McpPlatform.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace McpPlatform.McpServer.Hosting;

/// <summary>
/// The tools and prompts this MCP server registered (with <c>WithTools</c>/<c>WithPrompts</c>), read
/// once, on first use: the platform span processor exports only these names (<see cref="IMcpVocabulary"/>).
/// </summary>
internal sealed class McpServerVocabulary(IServiceProvider services) : IMcpVocabulary
{
    private readonly Lazy<HashSet<string>> _tools = new(() =>
        services.GetServices<McpServerTool>().Select(tool => tool.ProtocolTool.Name).ToHashSet(StringComparer.Ordinal));

    private readonly Lazy<HashSet<string>> _prompts = new(() =>
        services.GetServices<McpServerPrompt>().Select(prompt => prompt.ProtocolPrompt.Name).ToHashSet(StringComparer.Ordinal));

    public bool IsTool(string name) => _tools.Value.Contains(name);

    public bool IsPrompt(string name) => _prompts.Value.Contains(name);
}
