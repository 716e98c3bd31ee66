using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.AppHost.Tests.Mcp;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;
using ModelContextProtocol.Protocol;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>collector-tenant's APIs through the running platform: what a tenant sees, and what nobody else can.</summary>
public sealed class TenantAuditApiTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ContosoAgentCall_ContosoAdminSeesIt_FabrikamSeesNothingThroughAnyParameter()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName, PlatformServices.CollectorTenant.ResourceName);
        var invocationId = $"audit-api-{Guid.NewGuid():N}";
        await using (var client = await McpClientFactory.ConnectAsync(PlatformServices.ToolsKnowledge, await PlatformTokens.ContosoAgentAsync(Cancel), Cancel))
        {
            var result = await client.CallToolAsync(new CallToolRequestParams
            {
                Name = "whoami",
                Meta = new JsonObject { [McpConventions.InvocationIdMetaKey] = invocationId },
            }, Cancel);
            result.IsError.ShouldNotBe(true);
        }

        // "What did my agent do?" — contoso's admin, by invocation id.
        var alice = await AuditClient.AliceAsync(Cancel);
        var records = await AuditClient.WaitForRecordsAsync(alice, $"invocation={invocationId}", 1, Cancel);
        var record = records.ShouldHaveSingleItem();
        record.GetProperty("tenantId").GetString().ShouldBe(DemoDirectory.ContosoTenantId);
        record.GetProperty("principalId").GetString().ShouldBe(DemoDirectory.ContosoAgentClientId);
        record.GetProperty("principalType").GetString().ShouldBe(PrincipalTypes.Agent);
        record.GetProperty("tool").GetString().ShouldBe("whoami");
        record.GetProperty("outcome").GetString().ShouldBe(AuditOutcomes.Success);
        record.GetProperty("server").GetString().ShouldBe(DemoDirectory.ToolsKnowledgeClientId);
        record.GetProperty("traceId").GetString()!.Length.ShouldBe(32);
        record.GetProperty("durationMs").GetDouble().ShouldBeGreaterThan(0);

        // Fabrikam's admin: the same filters show nothing, and naming contoso is refused.
        var bob = await AuditClient.BobAsync(Cancel);
        foreach (var query in new[]
        {
            $"invocation={invocationId}",
            $"principal={DemoDirectory.ContosoAgentClientId}",
            "tool=whoami&limit=500",
        })
        {
            var (status, body) = await AuditClient.GetAsync("/v1/records?" + query, bob, Cancel);
            status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
            body.GetProperty("records").EnumerateArray()
                .ShouldAllBe(r => r.GetProperty("tenantId").GetString() == DemoDirectory.FabrikamTenantId);
            body.GetProperty("records").EnumerateArray().ShouldNotContain(r => r.GetProperty("invocationId").GetString() == invocationId);
        }

        foreach (var query in new[]
        {
            $"tenant={DemoDirectory.ContosoTenantId}&invocation={invocationId}",
            $"tenant={DemoDirectory.FabrikamTenantId}&tenant={DemoDirectory.ContosoTenantId}",
        })
        {
            var (status, _) = await AuditClient.GetAsync("/v1/records?" + query, bob, Cancel);
            status.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.BadRequest);
        }

        // Operators read nothing without a grant; an agent's MCP token is not a collector token at all.
        var (operatorStatus, operatorBody) = await AuditClient.GetAsync($"/v1/records?invocation={invocationId}", await AuditClient.OperatorAsync(Cancel), Cancel);
        operatorStatus.ShouldBe(HttpStatusCode.Forbidden);
        operatorBody.GetProperty("code").GetString().ShouldBe("audit.grant_required");
        var (agentStatus, _) = await AuditClient.GetAsync("/v1/records", await PlatformTokens.ContosoAgentAsync(Cancel), Cancel);
        agentStatus.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Ingest_BadInput_ClearFourHundreds_NothingStored_ServiceStaysUp_RedeliveryIsIdempotent()
    {
        await platform.WaitForHealthyAsync(PlatformServices.CollectorTenant.ResourceName);
        var service = await AuditClient.ServiceTokenAsync(Cancel);
        var marker = $"audit-bad-{Guid.NewGuid():N}";

        (await AuditClient.PostRawAsync("/v1/records", service, "{\"records\": [ {\"id\": ", Cancel)).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await AuditClient.PostRawAsync("/v1/records", service, "{\"records\": []}", Cancel)).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await AuditClient.SendAsync(HttpMethod.Post, "/v1/records", service, new StringContent("records"), Cancel)).Status
            .ShouldBe(HttpStatusCode.UnsupportedMediaType);

        var oversized = "{\"records\": [" + string.Join(',', Enumerable.Repeat(JsonSerializer.Serialize(Record(marker, DemoDirectory.ContosoTenantId)), 4000)) + "]}";
        (await AuditClient.PostRawAsync("/v1/records", service, oversized, Cancel)).Status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        // An unknown tenant and a forged grant event in one batch with a good record: 422 naming
        // both by index, and the good one is not stored either (a batch is all or nothing).
        var good = Record(marker, DemoDirectory.ContosoTenantId);
        var unknown = Record(marker, "no-such-tenant");
        var forged = Record(marker, DemoDirectory.ContosoTenantId);
        forged["kind"] = AuditKinds.GrantApproved;
        var (status, problem) = await AuditClient.PostJsonAsync("/v1/records", service, new JsonObject { ["records"] = new JsonArray(good, unknown, forged) }, Cancel);
        status.ShouldBe(HttpStatusCode.UnprocessableEntity, problem.GetRawText());
        var rejected = problem.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("index").GetInt32(), r => r.GetProperty("code").GetString());
        rejected.ShouldBe(new Dictionary<int, string?> { [1] = "audit.tenant_unknown", [2] = "record.kind_forbidden" }, ignoreOrder: true);
        (await AuditClient.CountAsync(platform, DemoDirectory.ContosoTenantId, marker, Cancel)).Rows.ShouldBe(0);

        // A tenant's own token cannot write into a trail.
        var alice = await AuditClient.AliceAsync(Cancel);
        (await AuditClient.PostJsonAsync("/v1/records", alice, new JsonObject { ["records"] = new JsonArray(Record(marker, DemoDirectory.ContosoTenantId)) }, Cancel))
            .Status.ShouldBe(HttpStatusCode.Forbidden);

        // Still up: the good record goes in once, and sending it again stores nothing new.
        var batch = new JsonObject { ["records"] = new JsonArray(good.DeepClone()) };
        var (first, firstBody) = await AuditClient.PostJsonAsync("/v1/records", service, batch, Cancel);
        first.ShouldBe(HttpStatusCode.OK, firstBody.GetRawText());
        firstBody.GetProperty("accepted").GetInt32().ShouldBe(1);
        var (again, againBody) = await AuditClient.PostJsonAsync("/v1/records", service, batch.DeepClone(), Cancel);
        again.ShouldBe(HttpStatusCode.OK);
        againBody.GetProperty("duplicates").GetInt32().ShouldBe(1);
        (await AuditClient.CountAsync(platform, DemoDirectory.ContosoTenantId, marker, Cancel)).Rows.ShouldBe(1);
    }

    private static JsonObject Record(string invocationId, string tenant) => new()
    {
        ["id"] = Guid.CreateVersion7().ToString(),
        ["occurredAt"] = DateTimeOffset.UtcNow.ToString("O"),
        ["kind"] = AuditKinds.ToolCall,
        ["tenantId"] = tenant,
        ["auditPartition"] = tenant,
        ["principalId"] = "test-agent",
        ["principalType"] = PrincipalTypes.Agent,
        ["invocationId"] = invocationId,
        ["tool"] = "whoami",
        ["outcome"] = AuditOutcomes.Success,
        ["durationMs"] = 1.5,
    };
}
