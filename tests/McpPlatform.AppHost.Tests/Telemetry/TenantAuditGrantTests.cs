using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.AppHost.Tests.Mcp;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;
using ModelContextProtocol.Protocol;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>The cross-pipeline join: an operator reads a tenant's records for one trace only under an approved, unexpired grant.</summary>
public sealed class TenantAuditGrantTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Operator_ForbiddenWithoutGrant_ReadsTraceWithApprovedGrant_GrantInTenantTrail_ExpiredForbidden()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName, PlatformServices.CollectorTenant.ResourceName);
        var invocationId = $"audit-grant-{Guid.NewGuid():N}";
        await using (var client = await McpClientFactory.ConnectAsync(PlatformServices.ToolsKnowledge, await PlatformTokens.ContosoAgentAsync(Cancel), Cancel))
        {
            (await client.CallToolAsync(new CallToolRequestParams
            {
                Name = "whoami",
                Meta = new JsonObject { [McpConventions.InvocationIdMetaKey] = invocationId },
            }, Cancel)).IsError.ShouldNotBe(true);
        }

        // The platform trace id an operator would find in the (tenant-free) platform telemetry.
        var alice = await AuditClient.AliceAsync(Cancel);
        var traceId = (await AuditClient.WaitForRecordsAsync(alice, $"invocation={invocationId}", 1, Cancel))[0].GetProperty("traceId").GetString()!;

        var operatorToken = await AuditClient.OperatorAsync(Cancel);
        var second = await AuditClient.SecondOperatorAsync(Cancel);
        (await AuditClient.GetAsync($"/v1/records?invocation={invocationId}", operatorToken, Cancel)).Status.ShouldBe(HttpStatusCode.Forbidden);

        var reason = $"incident {invocationId}: errors on trace";
        var grant = await RequestAsync(operatorToken, DemoDirectory.ContosoTenantId, reason, traceId, durationSeconds: 300);
        var grantId = grant.GetProperty("id").GetString()!;

        await ShouldBeForbiddenAsync($"/v1/grants/{grantId}/records", operatorToken, "grant.not_approved");
        var (selfApproval, selfBody) = await AuditClient.SendAsync(HttpMethod.Post, $"/v1/grants/{grantId}/approve", operatorToken, null, Cancel);
        selfApproval.ShouldBe(HttpStatusCode.Forbidden);
        selfBody.GetProperty("code").GetString().ShouldBe("grant.self_approval");
        var (approved, approvedBody) = await AuditClient.SendAsync(HttpMethod.Post, $"/v1/grants/{grantId}/approve", second, null, Cancel);
        approved.ShouldBe(HttpStatusCode.OK, approvedBody.GetRawText());

        // The approver cannot use someone else's grant; the requester can, and sees the trace's records.
        await ShouldBeForbiddenAsync($"/v1/grants/{grantId}/records", second, "grant.not_yours");
        var (read, readBody) = await AuditClient.GetAsync($"/v1/grants/{grantId}/records", operatorToken, Cancel);
        read.ShouldBe(HttpStatusCode.OK, readBody.GetRawText());
        var linked = readBody.GetProperty("records").EnumerateArray().ToArray();
        linked.ShouldContain(r => r.GetProperty("invocationId").GetString() == invocationId);
        linked.ShouldAllBe(r => r.GetProperty("traceId").GetString() == traceId && r.GetProperty("tenantId").GetString() == DemoDirectory.ContosoTenantId);

        // Contoso sees that and why an operator looked: request, approval and use, with the reason.
        var trail = await AuditClient.WaitForRecordsAsync(alice, $"principal={DemoDirectory.OperatorUserId}&limit=500", 2, Cancel);
        var events = trail.Where(r => r.GetProperty("invocationId").GetString() == grantId.Replace("-", "", StringComparison.Ordinal)).ToArray();
        events.Select(r => r.GetProperty("kind").GetString()).ShouldBe([AuditKinds.GrantUsed, AuditKinds.GrantRequested], ignoreOrder: true);
        events.ShouldAllBe(r => r.GetProperty("detail").GetProperty("reason").GetString() == reason);
        (await AuditClient.GetAsync($"/v1/records?kind={AuditKinds.GrantApproved}&principal=second-operator", alice, Cancel)).Body
            .GetProperty("records").EnumerateArray().ShouldContain(r => r.GetProperty("detail").GetProperty("grantId").GetString() == grantId.Replace("-", "", StringComparison.Ordinal));

        // Fabrikam sees none of it.
        var (bobStatus, bobBody) = await AuditClient.GetAsync($"/v1/records?principal={DemoDirectory.OperatorUserId}&limit=500", await AuditClient.BobAsync(Cancel), Cancel);
        bobStatus.ShouldBe(HttpStatusCode.OK);
        bobBody.GetProperty("records").EnumerateArray().ShouldNotContain(r => r.GetProperty("detail").GetProperty("reason").GetString() == reason);

        // A one-second grant, approved, then past its expiry: 403.
        var shortGrant = (await RequestAsync(operatorToken, DemoDirectory.ContosoTenantId, reason, traceId, durationSeconds: 1)).GetProperty("id").GetString()!;
        var (shortApproved, shortBody) = await AuditClient.SendAsync(HttpMethod.Post, $"/v1/grants/{shortGrant}/approve", second, null, Cancel);
        shortApproved.ShouldBe(HttpStatusCode.OK, shortBody.GetRawText());
        var expiresAt = shortBody.GetProperty("expiresAt").GetDateTimeOffset();
        while (DateTimeOffset.UtcNow <= expiresAt.AddMilliseconds(200))
        {
            await Task.Delay(200, Cancel);
        }

        await ShouldBeForbiddenAsync($"/v1/grants/{shortGrant}/records", operatorToken, "grant.expired");
    }

    [Fact]
    public async Task GrantRequest_BadInput_ClearFourHundreds()
    {
        await platform.WaitForHealthyAsync(PlatformServices.CollectorTenant.ResourceName);
        var operatorToken = await AuditClient.OperatorAsync(Cancel);
        var traceId = new string('a', 32);
        (await PostGrantAsync(operatorToken, "no-such-tenant", "a reason long enough", traceId, 60)).Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await PostGrantAsync(operatorToken, DemoDirectory.ContosoTenantId, "short", traceId, 60)).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await PostGrantAsync(operatorToken, DemoDirectory.ContosoTenantId, "a reason long enough", "not-a-trace", 60)).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await PostGrantAsync(operatorToken, DemoDirectory.ContosoTenantId, "a reason long enough", traceId, 999_999)).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await AuditClient.PostRawAsync("/v1/grants", operatorToken, "{not json", Cancel)).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await AuditClient.GetAsync("/v1/grants/not-a-guid/records", operatorToken, Cancel)).Status.ShouldBe(HttpStatusCode.NotFound);

        // Tenant users cannot ask for grants.
        (await PostGrantAsync(await AuditClient.AliceAsync(Cancel), DemoDirectory.FabrikamTenantId, "a reason long enough", traceId, 60)).Status
            .ShouldBe(HttpStatusCode.Forbidden);
    }

    private static async Task<JsonElement> RequestAsync(string bearer, string tenant, string reason, string traceId, int durationSeconds)
    {
        var (status, body) = await PostGrantAsync(bearer, tenant, reason, traceId, durationSeconds);
        status.ShouldBe(HttpStatusCode.Created, body.GetRawText());
        return body;
    }

    private static Task<(HttpStatusCode Status, JsonElement Body)> PostGrantAsync(string bearer, string tenant, string reason, string traceId, int durationSeconds) =>
        AuditClient.PostJsonAsync("/v1/grants", bearer, new JsonObject
        {
            ["tenantId"] = tenant,
            ["reason"] = reason,
            ["traceId"] = traceId,
            ["durationSeconds"] = durationSeconds,
        }, Cancel);

    private static async Task ShouldBeForbiddenAsync(string path, string bearer, string code)
    {
        var (status, body) = await AuditClient.GetAsync(path, bearer, Cancel);
        status.ShouldBe(HttpStatusCode.Forbidden, body.GetRawText());
        body.GetProperty("code").GetString().ShouldBe(code);
    }
}
