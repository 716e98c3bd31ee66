using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.AppHost.Tests.Mcp;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;
using ModelContextProtocol.Protocol;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>
/// identity's token-exchange decisions in the tenant's own audit trail: granted and refused, with
/// actor, audience and the platform trace id; never in another tenant's, never without a tenant.
/// </summary>
public sealed class TokenExchangeAuditTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DownstreamEcho_ContosoTrailHoldsGrantedExchangeForTheInvocation_FabrikamSeesNone()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName, PlatformServices.Downstream.ResourceName,
            PlatformServices.CollectorTenant.ResourceName);
        var invocationId = $"exchange-audit-{Guid.NewGuid():N}";
        await using (var client = await McpClientFactory.ConnectAsync(PlatformServices.ToolsKnowledge, await PlatformTokens.ContosoAgentAsync(Cancel), Cancel))
        {
            var result = await client.CallToolAsync(new CallToolRequestParams
            {
                Name = "downstream_echo",
                Arguments = new Dictionary<string, JsonElement> { ["message"] = JsonSerializer.SerializeToElement("audit me") },
                Meta = new JsonObject { [McpConventions.InvocationIdMetaKey] = invocationId },
            }, Cancel);
            result.IsError.ShouldNotBe(true, string.Join(" ", result.Content.OfType<TextContentBlock>().Select(c => c.Text)));
        }

        // "What did my agent do?": the tool call and, from identity, the exchange it caused.
        var alice = await AuditClient.AliceAsync(Cancel);
        var exchange = (await AuditClient.WaitForRecordsAsync(alice, $"invocation={invocationId}&kind={AuditKinds.TokenExchange}", 1, Cancel))
            .ShouldHaveSingleItem();
        exchange.GetProperty("kind").GetString().ShouldBe(AuditKinds.TokenExchange);
        exchange.GetProperty("tenantId").GetString().ShouldBe(DemoDirectory.ContosoTenantId);
        exchange.GetProperty("principalId").GetString().ShouldBe(DemoDirectory.ContosoAgentClientId);
        exchange.GetProperty("principalType").GetString().ShouldBe(PrincipalTypes.Agent);
        exchange.GetProperty("outcome").GetString().ShouldBe(AuditOutcomes.Success);
        (exchange.TryGetProperty("reasonCode", out var reasonCode) ? reasonCode.ValueKind : JsonValueKind.Null).ShouldBe(JsonValueKind.Null);
        exchange.GetProperty("server").GetString().ShouldBe(DemoDirectory.IdentityClientId);
        var detail = exchange.GetProperty("detail");
        detail.GetProperty("actor").GetString().ShouldBe(DemoDirectory.ToolsKnowledgeClientId);
        detail.GetProperty("audience").GetString().ShouldBe(PlatformServices.Downstream.LocalOrigin);
        detail.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ShouldBe([PlatformScopes.DownstreamApi]);
        // No token in any form: a JWT's header always starts with "eyJ" ('{"').
        exchange.GetRawText().ShouldNotContain("eyJ");

        // The exchange ran inside the tool call: the same platform trace id joins them.
        var toolCall = (await AuditClient.WaitForRecordsAsync(alice, $"invocation={invocationId}&kind={AuditKinds.ToolCall}", 1, Cancel))
            .ShouldHaveSingleItem();
        toolCall.GetProperty("tool").GetString().ShouldBe("downstream_echo");
        exchange.GetProperty("traceId").GetString().ShouldNotBeNull().Length.ShouldBe(32);
        exchange.GetProperty("traceId").GetString().ShouldBe(toolCall.GetProperty("traceId").GetString());

        // Fabrikam's admin sees none of it, by invocation or by kind.
        var bob = await AuditClient.BobAsync(Cancel);
        foreach (var query in new[] { $"invocation={invocationId}", $"kind={AuditKinds.TokenExchange}&limit=500" })
        {
            var (status, body) = await AuditClient.GetAsync("/v1/records?" + query, bob, Cancel);
            status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
            var records = body.GetProperty("records").EnumerateArray().ToArray();
            records.ShouldAllBe(r => r.GetProperty("tenantId").GetString() == DemoDirectory.FabrikamTenantId);
            records.ShouldNotContain(r => r.GetProperty("invocationId").GetString() == invocationId);
        }
    }

    [Fact]
    public async Task RefusedExchanges_ValidatedSubjectInItsTenantsTrail_UnvalidatedSubjectInNoTrail()
    {
        await platform.WaitForHealthyAsync(PlatformServices.Identity.ResourceName, PlatformServices.CollectorTenant.ResourceName);
        var workspaceSecret = DemoSecrets.Get(DemoDirectory.Parameters.ToolsWorkspaceClientSecret);

        // A subject token that does not validate: refused, and no tenant's trail can hold it.
        var forged = $"exchange-forged-{Guid.NewGuid():N}";
        var (forgedStatus, _) = await PlatformTokens.ExchangeAsync(DemoDirectory.ToolsWorkspaceClientId, workspaceSecret,
            "not-a-token", PlatformServices.Downstream.LocalOrigin, forged, Cancel);
        forgedStatus.ShouldBe(HttpStatusCode.BadRequest);

        // tools-workspace tries to exchange contoso's token that was sent to tools-knowledge.
        var refused = $"exchange-refused-{Guid.NewGuid():N}";
        var (status, body) = await PlatformTokens.ExchangeAsync(DemoDirectory.ToolsWorkspaceClientId, workspaceSecret,
            await PlatformTokens.ContosoAgentAsync(Cancel), PlatformServices.Downstream.LocalOrigin, refused, Cancel);
        status.ShouldBe(HttpStatusCode.BadRequest, body.GetRawText());
        body.GetProperty("error").GetString().ShouldBe("invalid_grant");

        var alice = await AuditClient.AliceAsync(Cancel);
        var record = (await AuditClient.WaitForRecordsAsync(alice, $"invocation={refused}", 1, Cancel)).ShouldHaveSingleItem();
        record.GetProperty("kind").GetString().ShouldBe(AuditKinds.TokenExchange);
        record.GetProperty("outcome").GetString().ShouldBe(AuditOutcomes.Denied);
        record.GetProperty("reasonCode").GetString().ShouldBe("invalid_grant");
        record.GetProperty("principalId").GetString().ShouldBe(DemoDirectory.ContosoAgentClientId);
        record.GetProperty("detail").GetProperty("actor").GetString().ShouldBe(DemoDirectory.ToolsWorkspaceClientId);
        record.GetProperty("detail").GetProperty("subjectAudiences").EnumerateArray().Select(a => a.GetString())
            .ShouldBe([PlatformServices.ToolsKnowledge.LocalMcpResource]);

        // identity ships its records in order; the forged attempt came first and left nothing.
        var bob = await AuditClient.BobAsync(Cancel);
        foreach (var reader in new[] { alice, bob })
        {
            var (readStatus, readBody) = await AuditClient.GetAsync($"/v1/records?invocation={forged}", reader, Cancel);
            readStatus.ShouldBe(HttpStatusCode.OK);
            readBody.GetProperty("records").GetArrayLength().ShouldBe(0);
        }

        (await AuditClient.GetAsync($"/v1/records?invocation={refused}", bob, Cancel)).Body.GetProperty("records").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Ingest_TokenExchangeRecordFromAnMcpServer_Is422WithSenderCode()
    {
        await platform.WaitForHealthyAsync(PlatformServices.CollectorTenant.ResourceName);
        var marker = $"exchange-forged-by-server-{Guid.NewGuid():N}";
        var record = new JsonObject
        {
            ["id"] = Guid.CreateVersion7().ToString(),
            ["occurredAt"] = DateTimeOffset.UtcNow.ToString("O"),
            ["kind"] = AuditKinds.TokenExchange,
            ["tenantId"] = DemoDirectory.ContosoTenantId,
            ["auditPartition"] = DemoDirectory.ContosoTenantId,
            ["principalId"] = DemoDirectory.ContosoAgentClientId,
            ["principalType"] = PrincipalTypes.Agent,
            ["invocationId"] = marker,
            ["outcome"] = AuditOutcomes.Success,
            ["detail"] = new JsonObject { ["actor"] = DemoDirectory.ToolsKnowledgeClientId },
        };

        var (status, problem) = await AuditClient.PostJsonAsync("/v1/records", await AuditClient.ServiceTokenAsync(Cancel),
            new JsonObject { ["records"] = new JsonArray(record) }, Cancel);

        status.ShouldBe(HttpStatusCode.UnprocessableEntity, problem.GetRawText());
        problem.GetProperty("rejected")[0].GetProperty("code").GetString().ShouldBe("record.kind_sender_forbidden");
        (await AuditClient.CountAsync(platform, DemoDirectory.ContosoTenantId, marker, Cancel)).Rows.ShouldBe(0);
    }
}
