using McpPlatform.Core;
using McpPlatform.Identity.Data;

namespace McpPlatform.Identity.Tests;

public sealed class PlatformResourcesTests
{
    [Fact]
    public void All_McpServersAndDownstream_AreTheContractUrls()
    {
        PlatformResources.ToolsKnowledge.Uri.ShouldBe(PlatformServices.ToolsKnowledge.LocalMcpResource);
        PlatformResources.ToolsWorkspace.Uri.ShouldBe(PlatformServices.ToolsWorkspace.LocalMcpResource);
        PlatformResources.Downstream.Uri.ShouldBe(PlatformServices.Downstream.LocalOrigin);
        PlatformResources.Downstream.ExchangeOnly.ShouldBeTrue();
        PlatformResources.ToolsKnowledge.Scope.ShouldBe(PlatformScopes.McpTools);
        PlatformResources.Downstream.Scope.ShouldBe(PlatformScopes.DownstreamApi);
    }

    [Fact]
    public void Find_TrailingSlashVariant_IsNotRegistered()
    {
        PlatformResources.Find(PlatformServices.Downstream.LocalOrigin + "/").ShouldBeNull();
        PlatformResources.Find(null).ShouldBeNull();
    }
}
