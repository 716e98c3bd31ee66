using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;
using ModelContextProtocol.Protocol;

namespace McpPlatform.AppHost.Tests.Mcp;

/// <summary>A tool call end to end: token from identity → MCP server → exchanged token → downstream.</summary>
public sealed class McpIdentityPropagationTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ContosoAgent_ClientCredentials_ListsToolsAndWhoAmIReturnsItsTenant()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);
        var token = await PlatformTokens.ContosoAgentAsync(Cancel);

        await using var client = await McpClientFactory.ConnectAsync(PlatformServices.ToolsKnowledge, token, Cancel);
        var tools = await client.ListToolsAsync(cancellationToken: Cancel);
        tools.Select(t => t.Name).ShouldContain("whoami");
        tools.Select(t => t.Name).ShouldContain("downstream_echo");

        var invocationId = $"test-{Guid.NewGuid():N}";
        var result = await client.CallToolAsync(new CallToolRequestParams
        {
            Name = "whoami",
            Meta = new JsonObject { [McpConventions.InvocationIdMetaKey] = invocationId },
        }, Cancel);

        result.IsError.ShouldNotBe(true);
        var who = result.StructuredContent!.Value;
        who.GetProperty("tenantId").GetString().ShouldBe(DemoDirectory.ContosoTenantId);
        who.GetProperty("principalId").GetString().ShouldBe(DemoDirectory.ContosoAgentClientId);
        who.GetProperty("principalType").GetString().ShouldBe(PrincipalTypes.Agent);
        who.GetProperty("invocationId").GetString().ShouldBe(invocationId);
    }

    [Fact]
    public async Task Alice_AuthorizationCodeWithPkce_ListsToolsAndWhoAmIReturnsUserPrincipal()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);
        var tokens = await Identity.IdentityClient.SignInWithPkceAsync(
            DemoDirectory.ContosoUserName, DemoSecrets.Get(DemoDirectory.Parameters.ContosoUserPassword),
            PlatformServices.ToolsKnowledge.LocalMcpResource, Cancel);

        await using var client = await McpClientFactory.ConnectAsync(
            PlatformServices.ToolsKnowledge, tokens.GetProperty("access_token").GetString()!, Cancel);
        (await client.ListToolsAsync(cancellationToken: Cancel)).Select(t => t.Name).ShouldContain("whoami");
        var result = await client.CallToolAsync("whoami", cancellationToken: Cancel);

        var who = result.StructuredContent!.Value;
        who.GetProperty("tenantId").GetString().ShouldBe(DemoDirectory.ContosoTenantId);
        who.GetProperty("principalId").GetString().ShouldBe(DemoDirectory.ContosoUserId);
        who.GetProperty("principalType").GetString().ShouldBe(PrincipalTypes.User);
    }

    [Fact]
    public async Task WhoAmI_WithoutClientInvocationId_GeneratesOnePerCall()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);
        await using var client = await McpClientFactory.ConnectAsync(
            PlatformServices.ToolsKnowledge, await PlatformTokens.FabrikamAgentAsync(Cancel), Cancel);

        var first = await client.CallToolAsync("whoami", cancellationToken: Cancel);
        var second = await client.CallToolAsync("whoami", cancellationToken: Cancel);

        var firstId = first.StructuredContent!.Value.GetProperty("invocationId").GetString();
        firstId.ShouldNotBeNullOrWhiteSpace();
        firstId.ShouldNotBe(second.StructuredContent!.Value.GetProperty("invocationId").GetString());
        first.StructuredContent!.Value.GetProperty("tenantId").GetString().ShouldBe(DemoDirectory.FabrikamTenantId);
    }

    [Fact]
    public async Task WhoAmI_MalformedInvocationIdInMeta_IsAStructuredToolError()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);
        await using var client = await McpClientFactory.ConnectAsync(
            PlatformServices.ToolsKnowledge, await PlatformTokens.ContosoAgentAsync(Cancel), Cancel);

        var result = await client.CallToolAsync(new CallToolRequestParams
        {
            Name = "whoami",
            Meta = new JsonObject { [McpConventions.InvocationIdMetaKey] = "not valid; drop table" },
        }, Cancel);

        result.IsError.ShouldBe(true);
        result.StructuredContent!.Value.GetProperty("error").GetProperty("code").GetString().ShouldBe("request.invocation_id_invalid");
    }

    [Fact]
    public async Task DownstreamEcho_ContosoAgent_DownstreamSeesOriginalSubjectTenantInvocationAndActor()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName, PlatformServices.Downstream.ResourceName);
        await using var client = await McpClientFactory.ConnectAsync(
            PlatformServices.ToolsKnowledge, await PlatformTokens.ContosoAgentAsync(Cancel), Cancel);
        var invocationId = $"echo-{Guid.NewGuid():N}";

        var result = await client.CallToolAsync(new CallToolRequestParams
        {
            Name = "downstream_echo",
            Arguments = new Dictionary<string, JsonElement> { ["message"] = JsonSerializer.SerializeToElement("hello downstream") },
            Meta = new JsonObject { [McpConventions.InvocationIdMetaKey] = invocationId },
        }, Cancel);

        result.IsError.ShouldNotBe(true, string.Join(" ", result.Content.OfType<TextContentBlock>().Select(c => c.Text)));
        var seen = result.StructuredContent!.Value;
        seen.GetProperty("subject").GetString().ShouldBe(DemoDirectory.ContosoAgentClientId);
        seen.GetProperty("tenantId").GetString().ShouldBe(DemoDirectory.ContosoTenantId);
        seen.GetProperty("principalType").GetString().ShouldBe(PrincipalTypes.Agent);
        seen.GetProperty("invocationId").GetString().ShouldBe(invocationId);
        seen.GetProperty("actor").GetString().ShouldBe(DemoDirectory.ToolsKnowledgeClientId);
        seen.GetProperty("message").GetString().ShouldBe("hello downstream");
    }

    [Fact]
    public async Task DownstreamEcho_EmptyMessage_IsAStructuredToolErrorNotAFailure()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);
        await using var client = await McpClientFactory.ConnectAsync(
            PlatformServices.ToolsKnowledge, await PlatformTokens.ContosoAgentAsync(Cancel), Cancel);

        var result = await client.CallToolAsync("downstream_echo",
            new Dictionary<string, object?> { ["message"] = string.Empty }, cancellationToken: Cancel);

        result.IsError.ShouldBe(true);
        result.StructuredContent!.Value.GetProperty("error").GetProperty("code").GetString().ShouldBe("request.invalid_argument");
    }
}
