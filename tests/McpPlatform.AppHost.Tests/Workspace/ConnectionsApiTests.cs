using System.Net;
using System.Text.Json;
using McpPlatform.AppHost.Tests.Telemetry;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Workspace;

/// <summary>The connections API on tools-workspace: tenant admins only, tenant from the token, every change audited.</summary>
public sealed class ConnectionsApiTests(PlatformFixture platform)
{
    private const string Api = "/v1/connections";
    private static readonly string[] s_traversalPrefix = ["/v1/../"];
    private static readonly string[] s_unknownMethod = ["TRACE"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Task ReadyAsync() => platform.WaitForHealthyAsync(
        PlatformServices.ToolsWorkspace.ResourceName, PlatformServices.CollectorTenant.ResourceName);

    [Fact]
    public async Task Alice_PutsListsAndDeletesAConnection_BobAndFabrikamNeverSeeIt()
    {
        await ReadyAsync();
        var alice = await WorkspaceClient.AliceAsync(Cancel);
        var bob = await WorkspaceClient.BobAsync(Cancel);
        var name = $"test-{Guid.NewGuid():N}"[..20];

        var (created, createdBody) = await WorkspaceClient.SendAsync(HttpMethod.Put, $"{Api}/{name}", alice,
            WorkspaceClient.PartnerDefinition(prefixes: ["/v1/items"]), Cancel);
        created.ShouldBe(HttpStatusCode.Created, createdBody.GetRawText());
        createdBody.GetProperty("baseUrl").GetString().ShouldBe(PlatformServices.Partner.LocalOrigin);

        var (replaced, _) = await WorkspaceClient.SendAsync(HttpMethod.Put, $"{Api}/{name}", alice,
            WorkspaceClient.PartnerDefinition(prefixes: ["/v1/items", "/v1/whoami"]), Cancel);
        replaced.ShouldBe(HttpStatusCode.OK);

        var (listed, list) = await WorkspaceClient.SendAsync(HttpMethod.Get, Api, alice, null, Cancel);
        listed.ShouldBe(HttpStatusCode.OK);
        var mine = list.EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        mine.GetProperty("allowedPathPrefixes").EnumerateArray().Select(p => p.GetString()).ShouldBe(["/v1/items", "/v1/whoami"]);

        // bob (fabrikam's admin) lists fabrikam's connections only and cannot delete contoso's.
        var (_, bobs) = await WorkspaceClient.SendAsync(HttpMethod.Get, Api, bob, null, Cancel);
        bobs.EnumerateArray().Select(c => c.GetProperty("name").GetString()).ShouldNotContain(name);
        var (bobDelete, bobDeleteBody) = await WorkspaceClient.SendAsync(HttpMethod.Delete, $"{Api}/{name}", bob, null, Cancel);
        bobDelete.ShouldBe(HttpStatusCode.NotFound);
        bobDeleteBody.GetProperty("code").GetString().ShouldBe(ToolErrorCodes.ConnectionNotFound);

        // contoso's agent sees it; fabrikam's agent cannot name it.
        await using (var contoso = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel))
        {
            var names = (await contoso.CallToolAsync("list_connections", cancellationToken: Cancel)).StructuredContent!.Value
                .GetProperty("connections").EnumerateArray().Select(c => c.GetProperty("name").GetString());
            names.ShouldContain(name);
        }

        await using (var fabrikam = await WorkspaceClient.ConnectAsync(await WorkspaceClient.FabrikamAgentAsync(Cancel), Cancel))
        {
            var names = (await fabrikam.CallToolAsync("list_connections", cancellationToken: Cancel)).StructuredContent!.Value
                .GetProperty("connections").EnumerateArray().Select(c => c.GetProperty("name").GetString());
            names.ShouldNotContain(name);
            WorkspaceClient.ErrorCode(await WorkspaceClient.CallConnectionAsync(fabrikam, name, "/v1/items", Cancel))
                .ShouldBe(ToolErrorCodes.ConnectionNotFound);
        }

        var (deleted, _) = await WorkspaceClient.SendAsync(HttpMethod.Delete, $"{Api}/{name}", alice, null, Cancel);
        deleted.ShouldBe(HttpStatusCode.NoContent);
        var (again, _) = await WorkspaceClient.SendAsync(HttpMethod.Delete, $"{Api}/{name}", alice, null, Cancel);
        again.ShouldBe(HttpStatusCode.NotFound);

        // Every change is in contoso's trail, by alice; none in fabrikam's.
        var changes = await ChangesAsync(await AuditClient.AliceAsync(Cancel), name, 3);
        changes.Select(r => r.GetProperty("detail").GetProperty("action").GetString()).ShouldBe(["created", "replaced", "deleted"], ignoreOrder: true);
        changes.ShouldAllBe(r => r.GetProperty("principalId").GetString() == DemoDirectory.ContosoUserId
            && r.GetProperty("server").GetString() == DemoDirectory.ToolsWorkspaceClientId);
        var (_, fabrikamTrail) = await AuditClient.GetAsync($"/v1/records?kind={AuditKinds.ConnectionChange}&limit=500", await AuditClient.BobAsync(Cancel), Cancel);
        fabrikamTrail.GetRawText().ShouldNotContain(name);
    }

    [Fact]
    public async Task Put_BaseUrlOffTheEgressAllowList_Is422()
    {
        await ReadyAsync();
        var (status, body) = await WorkspaceClient.SendAsync(HttpMethod.Put, $"{Api}/elsewhere", await WorkspaceClient.AliceAsync(Cancel),
            WorkspaceClient.PartnerDefinition(baseUrl: "https://api.evil.example"), Cancel);

        status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        body.GetProperty("code").GetString().ShouldBe("connection.egress_denied");
    }

    [Fact]
    public async Task Put_InvalidFields_Is400NamingThem()
    {
        await ReadyAsync();
        var alice = await WorkspaceClient.AliceAsync(Cancel);

        var (status, body) = await WorkspaceClient.SendAsync(HttpMethod.Put, $"{Api}/bad-fields", alice, new
        {
            baseUrl = PlatformServices.Partner.LocalOrigin + "/v1/",
            secretName = "Not A Name",
            credentialHeader = "Host",
            allowedPathPrefixes = s_traversalPrefix,
            allowedMethods = s_unknownMethod,
        }, Cancel);

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.GetProperty("code").GetString().ShouldBe("request.invalid");
        body.GetProperty("errors").EnumerateObject().Select(e => e.Name)
            .ShouldBe(["baseUrl", "secretName", "credentialHeader", "allowedPathPrefixes", "allowedMethods"], ignoreOrder: true);

        var (badName, _) = await WorkspaceClient.SendAsync(HttpMethod.Put, $"{Api}/Bad%01Name", alice, WorkspaceClient.PartnerDefinition(), Cancel);
        badName.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Api_AgentTokenOrUserWithoutWorkspaceAdmin_IsForbidden()
    {
        await ReadyAsync();
        var (agent, _) = await WorkspaceClient.SendAsync(HttpMethod.Get, Api, await WorkspaceClient.ContosoAgentAsync(Cancel), null, Cancel);
        agent.ShouldBe(HttpStatusCode.Forbidden);

        var aliceToolsOnly = await WorkspaceClient.AdminAsync(DemoDirectory.ContosoUserName, DemoDirectory.Parameters.ContosoUserPassword, Cancel, PlatformScopes.McpTools);
        var (user, _) = await WorkspaceClient.SendAsync(HttpMethod.Get, Api, aliceToolsOnly, null, Cancel);
        user.ShouldBe(HttpStatusCode.Forbidden);

        var (anonymous, anonymousBody) = await WorkspaceClient.SendAsync(HttpMethod.Get, Api, "not-a-token", null, Cancel);
        anonymous.ShouldBe(HttpStatusCode.Unauthorized);
        anonymousBody.GetRawText().ShouldNotContain("Exception");
    }

    [Fact]
    public async Task AliceToken_CarriesWorkspaceAdmin_AgentTokenDoesNot()
    {
        await ReadyAsync();
        Support.PlatformTokens.Payload(await WorkspaceClient.AliceAsync(Cancel)).GetProperty("scope").GetString()!
            .Split(' ').ShouldContain(PlatformScopes.WorkspaceAdmin);
        Support.PlatformTokens.Payload(await WorkspaceClient.ContosoAgentAsync(Cancel)).GetProperty("scope").GetString()!
            .Split(' ').ShouldNotContain(PlatformScopes.WorkspaceAdmin);
    }

    private static async Task<JsonElement[]> ChangesAsync(string auditToken, string name, int count)
    {
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        while (true)
        {
            var records = await AuditClient.WaitForRecordsAsync(auditToken, $"kind={AuditKinds.ConnectionChange}&limit=500", 1, Cancel);
            var mine = records.Where(r => r.GetProperty("detail").GetProperty("connection").GetString() == name).ToArray();
            if (mine.Length >= count)
            {
                return mine;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"contoso's trail did not show {count} connection changes for {name} (has {mine.Length})");
            await Task.Delay(250, Cancel);
        }
    }
}
