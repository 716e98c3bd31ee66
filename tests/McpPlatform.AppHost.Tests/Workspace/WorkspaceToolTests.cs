using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Workspace;

/// <summary>tools-workspace's tools through the real MCP C# client, against the running platform.</summary>
public sealed class WorkspaceToolTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Task ReadyAsync() => platform.WaitForHealthyAsync(PlatformServices.ToolsWorkspace.ResourceName, PlatformServices.Partner.ResourceName);

    [Fact]
    public async Task ContosoAgent_ListsToolsAndWhoAmI_ReturnsItsTenant()
    {
        await ReadyAsync();
        await using var client = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);

        var tools = (await client.ListToolsAsync(cancellationToken: Cancel)).Select(t => t.Name).ToList();
        tools.ShouldBe(["whoami", "list_connections", "call_connection", "run_script"], ignoreOrder: true);

        var who = (await client.CallToolAsync("whoami", cancellationToken: Cancel)).StructuredContent!.Value;
        who.GetProperty("tenantId").GetString().ShouldBe(DemoDirectory.ContosoTenantId);
        who.GetProperty("principalId").GetString().ShouldBe(DemoDirectory.ContosoAgentClientId);
        who.GetProperty("principalType").GetString().ShouldBe(PrincipalTypes.Agent);
    }

    [Fact]
    public async Task ListConnections_ContosoAgent_ShowsTheSeededPartnerWithoutSecrets()
    {
        await ReadyAsync();
        await using var client = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);

        var result = await client.CallToolAsync("list_connections", cancellationToken: Cancel);

        result.IsError.ShouldNotBe(true);
        var partner = result.StructuredContent!.Value.GetProperty("connections").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == DemoDirectory.PartnerConnectionName);
        partner.GetProperty("baseUrl").GetString().ShouldBe(PlatformServices.Partner.LocalOrigin);
        partner.GetProperty("allowedPathPrefixes").EnumerateArray().Select(p => p.GetString()).ShouldBe(["/v1/"]);
        partner.GetProperty("allowedMethods").EnumerateArray().Select(p => p.GetString()).ShouldBe(["GET", "POST"], ignoreOrder: true);
        var text = result.StructuredContent!.Value.GetRawText();
        text.ShouldNotContain(DemoDirectory.PartnerSecretName);
        text.ShouldNotContain(Support.DemoSecrets.Get(DemoDirectory.Parameters.PartnerContosoKey));
    }

    // Needs the secrets service (issue 13, item 1) with its Development seed: each demo tenant's
    // secret partner-api-key holding its partner key, readable by tools-workspace's call_connection.
    [Fact]
    public async Task CallConnection_FabrikamPartnerWhoAmI_ReachesPartnerWithFabrikamsKey()
    {
        await ReadyAsync();
        await platform.WaitForHealthyAsync(PlatformServices.Secrets.ResourceName);
        var after = await WorkspaceClient.PartnerLastSeqAsync(Cancel);
        await using var client = await WorkspaceClient.ConnectAsync(await WorkspaceClient.FabrikamAgentAsync(Cancel), Cancel);

        var result = await WorkspaceClient.CallConnectionAsync(client, DemoDirectory.PartnerConnectionName, "/v1/whoami", Cancel);

        result.IsError.ShouldNotBe(true, result.StructuredContent?.GetRawText());
        var answer = result.StructuredContent!.Value;
        answer.GetProperty("status").GetInt32().ShouldBe(200);
        answer.GetProperty("body").GetString().ShouldBe("""{"tenant":"fabrikam"}""");
        answer.GetProperty("truncated").GetBoolean().ShouldBeFalse();
        answer.GetProperty("headers").GetProperty("content-type").GetString()!.ShouldStartWith("application/json");
        answer.GetRawText().ShouldNotContain(Support.DemoSecrets.Get(DemoDirectory.Parameters.PartnerFabrikamKey));

        var seen = (await WorkspaceClient.PartnerRequestsAsync(after, Cancel))
            .Where(r => r.GetProperty("path").GetString() == "/v1/whoami").ToList();
        seen.Count.ShouldBe(1);
        seen[0].GetProperty("tenant").GetString().ShouldBe(DemoDirectory.FabrikamSlug);
        seen[0].GetProperty("keySha256").GetString().ShouldBe(WorkspaceClient.KeySha256(DemoDirectory.Parameters.PartnerFabrikamKey));
    }

    // Needs the secrets service too (see above): contoso's call carries contoso's key, not fabrikam's.
    [Fact]
    public async Task CallConnection_ContosoPartnerItems_SeesOnlyContosoItems()
    {
        await ReadyAsync();
        await platform.WaitForHealthyAsync(PlatformServices.Secrets.ResourceName);
        var after = await WorkspaceClient.PartnerLastSeqAsync(Cancel);
        await using var client = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);

        var result = await WorkspaceClient.CallConnectionAsync(client, DemoDirectory.PartnerConnectionName, "/v1/items", Cancel);

        result.IsError.ShouldNotBe(true, result.StructuredContent?.GetRawText());
        var body = result.StructuredContent!.Value.GetProperty("body").GetString()!;
        body.ShouldContain("Contoso");
        body.ShouldNotContain("Fabrikam");
        var seen = (await WorkspaceClient.PartnerRequestsAsync(after, Cancel)).Single(r => r.GetProperty("path").GetString() == "/v1/items");
        seen.GetProperty("keySha256").GetString().ShouldBe(WorkspaceClient.KeySha256(DemoDirectory.Parameters.PartnerContosoKey));
    }

    [Theory]
    [InlineData("/admin")]
    [InlineData("/v2/whoami")]
    [InlineData("/v1/../admin")]
    [InlineData("/v1/%2e%2e/admin")]
    [InlineData("//evil.example/v1/whoami")]
    [InlineData("http://evil.example/v1/whoami")]
    [InlineData("/v1/who\r\nX-Injected: 1")]
    [InlineData("/v1/who\u0000ami")]
    public async Task CallConnection_PathOutsideTheAllowListOrMalformed_IsConnectionDenied(string path)
    {
        await ReadyAsync();
        var after = await WorkspaceClient.PartnerLastSeqAsync(Cancel);
        await using var client = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);

        var result = await WorkspaceClient.CallConnectionAsync(client, DemoDirectory.PartnerConnectionName, path, Cancel);

        WorkspaceClient.ErrorCode(result).ShouldBe(ToolErrorCodes.ConnectionDenied);
        (await WorkspaceClient.KeyedPartnerRequestsAsync(after, Cancel)).ShouldBeEmpty("nothing is sent when the path is refused");
    }

    [Fact]
    public async Task CallConnection_MethodTheConnectionDoesNotAllow_IsConnectionDenied()
    {
        await ReadyAsync();
        await using var client = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);

        var result = await WorkspaceClient.CallConnectionAsync(client, DemoDirectory.PartnerConnectionName, "/v1/items", Cancel, method: "DELETE");

        WorkspaceClient.ErrorCode(result).ShouldBe(ToolErrorCodes.ConnectionDenied);
    }

    [Fact]
    public async Task CallConnection_UnknownConnection_IsConnectionNotFound()
    {
        await ReadyAsync();
        await using var client = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);

        var result = await WorkspaceClient.CallConnectionAsync(client, "no-such-connection", "/v1/whoami", Cancel);

        WorkspaceClient.ErrorCode(result).ShouldBe(ToolErrorCodes.ConnectionNotFound);
    }

    [Theory]
    [InlineData("part\u0001ner")]
    [InlineData("partner\n")]
    [InlineData("PARTNER")]
    [InlineData("")]
    public async Task CallConnection_ControlCharactersOrBadShapeInTheName_IsInvalidArgument(string name)
    {
        await ReadyAsync();
        await using var client = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);

        var result = await WorkspaceClient.CallConnectionAsync(client, name, "/v1/whoami", Cancel);

        WorkspaceClient.ErrorCode(result).ShouldBe(ToolErrorCodes.InvalidArgument);
    }

    [Fact]
    public async Task CallConnection_HugeBody_IsInvalidArgumentAndNothingIsSent()
    {
        await ReadyAsync();
        var after = await WorkspaceClient.PartnerLastSeqAsync(Cancel);
        await using var client = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);

        var result = await WorkspaceClient.CallConnectionAsync(client, DemoDirectory.PartnerConnectionName, "/v1/echo", Cancel,
            method: "POST", body: "\"" + new string('x', 200_000) + "\"");

        WorkspaceClient.ErrorCode(result).ShouldBe(ToolErrorCodes.InvalidArgument);
        result.StructuredContent!.Value.GetRawText().ShouldNotContain("xxxx");
        (await WorkspaceClient.KeyedPartnerRequestsAsync(after, Cancel)).ShouldBeEmpty();
    }

    [Fact]
    public async Task CallConnection_BodyWithGet_IsInvalidArgument()
    {
        await ReadyAsync();
        await using var client = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);

        var result = await WorkspaceClient.CallConnectionAsync(client, DemoDirectory.PartnerConnectionName, "/v1/items", Cancel, body: "{}");

        WorkspaceClient.ErrorCode(result).ShouldBe(ToolErrorCodes.InvalidArgument);
    }
}
