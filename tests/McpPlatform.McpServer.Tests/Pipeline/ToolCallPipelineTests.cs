using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Core;
using McpPlatform.McpServer.Pipeline;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpPlatform.McpServer.Tests.Pipeline;

/// <summary>
/// The call pipeline (metrics → tenant context → audit → admission) as a second MCP server gets
/// it from one registration and one map, called by a real MCP client over Streamable HTTP.
/// </summary>
public sealed class ToolCallPipelineTests(PipelineServer server) : IClassFixture<PipelineServer>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pipeline_SecondServer_OneRegistrationAndOneMap_GetsTheWholePipeline()
    {
        var tool = PipelineTestTools.WhoAmI;
        var countedBefore = server.Calls(tool, ToolCallMetrics.Outcomes.Ok);
        await using var client = await server.ConnectAsync(server.Token(PipelineServer.FreeTenant), Token);
        var invocation = NewInvocationId();

        var result = await CallAsync(client, tool, invocation);

        // Tenant context: from the token's claims and the client's invocation id.
        result.IsError.ShouldNotBe(true, Text(result));
        var seen = result.StructuredContent!.Value.Deserialize<WhoAmIProbe>(JsonSerializerOptions.Web)!;
        seen.TenantId.ShouldBe(PipelineServer.FreeTenant);
        seen.PrincipalId.ShouldBe(PipelineServer.Principal);
        seen.PrincipalType.ShouldBe(PrincipalTypes.Agent);
        seen.InvocationId.ShouldBe(invocation);
        // Admission: the tool ran holding a lease, given back after it returned.
        seen.LeasesInFlight.ShouldBe(1);
        await PipelineServer.WaitUntilAsync(async () => await server.InFlightAsync(PipelineServer.FreeTenant) == 0, "the lease's release");
        // Metrics: counted once, as ok.
        server.Calls(tool, ToolCallMetrics.Outcomes.Ok).ShouldBe(countedBefore + 1);
        // Audit: one record with the tenant, the tool and the outcome.
        var record = await server.AuditRecordAsync(invocation);
        record.TenantId.ShouldBe(PipelineServer.FreeTenant);
        record.PrincipalId.ShouldBe(PipelineServer.Principal);
        record.Tool.ShouldBe(tool);
        record.Outcome.ShouldBe(AuditOutcomes.Success);
        record.ReasonCode.ShouldBeNull();
    }

    [Fact]
    public async Task Pipeline_InvalidInvocationId_ErrorResultCountedButNotAuditedAndToolNotRun()
    {
        const string tenant = "tenant-bad-invocation";
        var tool = PipelineTestTools.WhoAmI;
        var ranBefore = server.Runs.Of(tool);
        var countedBefore = server.Calls(tool, ToolCallMetrics.Outcomes.Error);
        await using var client = await server.ConnectAsync(server.Token(tenant), Token);

        var result = await CallAsync(client, tool, "bad id!");

        result.IsError.ShouldBe(true);
        ErrorCode(result).ShouldBe("request.invocation_id_invalid");
        server.Runs.Of(tool).ShouldBe(ranBefore);
        // Metrics wrap the tenant step: the call is counted.
        server.Calls(tool, ToolCallMetrics.Outcomes.Error).ShouldBe(countedBefore + 1);
        // Audit sits inside the tenant step: nothing to audit. A later call of the same tenant is
        // spooled after anything the first could have queued, so once it is there, absence is final.
        var marker = NewInvocationId();
        var markerResult = await CallAsync(client, tool, marker);
        markerResult.IsError.ShouldNotBe(true, Text(markerResult));
        await server.AuditRecordAsync(marker);
        server.AuditRecords().Where(record => record.TenantId == tenant).Select(record => record.InvocationId).ShouldBe([marker]);
    }

    [Fact]
    public async Task Pipeline_AdmissionDenies_DeniedResultCountedAuditedAndToolNotRun()
    {
        var tool = PipelineTestTools.WhoAmI;
        var ranBefore = server.Runs.Of(tool);
        var countedBefore = server.Calls(tool, ToolCallMetrics.Outcomes.Denied);
        await using var client = await server.ConnectAsync(server.Token(PipelineServer.BrokeTenant), Token);
        var invocation = NewInvocationId();

        var result = await CallAsync(client, tool, invocation);

        result.IsError.ShouldBe(true);
        var code = ErrorCode(result);
        code.ShouldBe(ReasonCodes.TokensHour);
        server.Runs.Of(tool).ShouldBe(ranBefore, "a denied call does not run the tool");
        server.Calls(tool, ToolCallMetrics.Outcomes.Denied).ShouldBe(countedBefore + 1);
        // Audit wraps admission: the denial is in the tenant's trail with its reason code.
        var record = await server.AuditRecordAsync(invocation);
        record.TenantId.ShouldBe(PipelineServer.BrokeTenant);
        record.Tool.ShouldBe(tool);
        record.Outcome.ShouldBe(AuditOutcomes.Denied);
        record.ReasonCode.ShouldBe(code);
    }

    [Fact]
    public async Task Pipeline_ToolThrows_IsAuditedAndLeaseReleased()
    {
        const string tenant = PipelineServer.OneAtATimeTenant;
        var tool = PipelineTestTools.Explode;
        var countedBefore = server.Calls(tool, ToolCallMetrics.Outcomes.Error);
        await using var client = await server.ConnectAsync(server.Token(tenant), Token);
        var invocation = NewInvocationId();

        var result = await CallAsync(client, tool, invocation);

        result.IsError.ShouldBe(true);
        server.Runs.Of(tool).ShouldBeGreaterThan(0);
        JsonSerializer.Serialize(result).ShouldNotContain("hunter2", customMessage: "exception text never reaches the caller");
        server.Calls(tool, ToolCallMetrics.Outcomes.Error).ShouldBe(countedBefore + 1);
        var record = await server.AuditRecordAsync(invocation);
        record.TenantId.ShouldBe(tenant);
        record.Tool.ShouldBe(tool);
        // The exception passes through the pipeline (the SDK turns it into the caller's error
        // result outside the filters), so the call ends without a result of its own: failed.
        record.Outcome.ShouldBe(AuditOutcomes.Failed);
        record.ReasonCode.ShouldBeNull();
        // The lease was released: none in flight, and with one call per principal the next is admitted.
        await PipelineServer.WaitUntilAsync(async () => await server.InFlightAsync(tenant) == 0, "the thrown call's lease to be released");
        var next = await CallAsync(client, PipelineTestTools.WhoAmI, NewInvocationId());
        next.IsError.ShouldNotBe(true, Text(next));
    }

    [Fact]
    public async Task Pipeline_ToolFailsWithItsOwnCode_AuditedAndCountedAsErrorWithThatCode()
    {
        var tool = PipelineTestTools.Refuse;
        var countedBefore = server.Calls(tool, ToolCallMetrics.Outcomes.Error);
        await using var client = await server.ConnectAsync(server.Token(PipelineServer.FreeTenant), Token);
        var invocation = NewInvocationId();

        var result = await CallAsync(client, tool, invocation);

        result.IsError.ShouldBe(true);
        ErrorCode(result).ShouldBe(PipelineTestTools.RefusalCode);
        server.Calls(tool, ToolCallMetrics.Outcomes.Error).ShouldBe(countedBefore + 1);
        server.Calls(tool).ShouldBe(countedBefore + 1, "counted once, as an error");
        var record = await server.AuditRecordAsync(invocation);
        record.Outcome.ShouldBe(AuditOutcomes.Error);
        record.ReasonCode.ShouldBe(PipelineTestTools.RefusalCode);
    }

    [Fact]
    public async Task Pipeline_ToolAddsUsage_AuditRecordAndBudgetCarryIt()
    {
        const string tenant = "tenant-spender";
        await using var client = await server.ConnectAsync(server.Token(tenant), Token);
        var invocation = NewInvocationId();

        var result = await CallAsync(client, PipelineTestTools.Spend, invocation);

        result.IsError.ShouldNotBe(true, Text(result));
        var record = await server.AuditRecordAsync(invocation);
        record.Outcome.ShouldBe(AuditOutcomes.Success);
        record.UsageTokens.ShouldBe(PipelineTestTools.SpentTokens);
        record.UsageCost.ShouldBe(PipelineTestTools.SpentCost);
        // The release settles the same usage against the tenant's budget (the estimate was reserved).
        await PipelineServer.WaitUntilAsync(
            async () => (await server.Engine.GetUsageAsync(tenant, tenant)).TokensHour.Used == PipelineTestTools.SpentTokens,
            "the release to settle the call's tokens");
        (await server.Engine.GetUsageAsync(tenant, tenant)).CostHour.Used.ShouldBe(PipelineTestTools.SpentCost);
    }

    private static string NewInvocationId() => $"test-{Guid.NewGuid():N}";

    private static ValueTask<CallToolResult> CallAsync(McpClient client, string tool, string invocationId) =>
        client.CallToolAsync(new CallToolRequestParams
        {
            Name = tool,
            Meta = new JsonObject { [McpConventions.InvocationIdMetaKey] = invocationId },
        }, Token);

    private static string? Text(CallToolResult result) => result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text;

    private static string? ErrorCode(CallToolResult result) =>
        result.StructuredContent!.Value.GetProperty("error").GetProperty("code").GetString();
}
