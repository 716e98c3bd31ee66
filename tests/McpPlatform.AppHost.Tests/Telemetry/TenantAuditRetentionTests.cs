using System.Net;
using System.Text.Json.Nodes;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>Retention per tenant policy: the job removes records past the age and row caps, oldest first.</summary>
public sealed class TenantAuditRetentionTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProbeTenant_RowCapAndAge_KeepsOnlyTheNewestWithinPolicy()
    {
        await platform.WaitForHealthyAsync(PlatformServices.CollectorTenant.ResourceName);
        var service = await AuditClient.ServiceTokenAsync(Cancel);
        var marker = $"retention-{Guid.NewGuid():N}-";
        var now = DateTimeOffset.UtcNow;

        // Six records: one 40 days old (past the 30-day retention), five recent (two past the 3-row cap).
        var records = new JsonArray();
        var ages = new[] { TimeSpan.FromDays(40), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1) };
        for (var i = 0; i < ages.Length; i++)
        {
            records.Add(new JsonObject
            {
                ["id"] = Guid.CreateVersion7().ToString(),
                ["occurredAt"] = (now - ages[i]).ToString("O"),
                ["kind"] = AuditKinds.ToolCall,
                ["tenantId"] = PlatformFixture.RetentionProbeTenant,
                ["auditPartition"] = PlatformFixture.RetentionProbeTenant,
                ["principalId"] = "probe-agent",
                ["principalType"] = PrincipalTypes.Agent,
                ["invocationId"] = marker + i,
                ["tool"] = "whoami",
                ["outcome"] = AuditOutcomes.Success,
            });
        }

        var (status, body) = await AuditClient.PostJsonAsync("/v1/records", service, new JsonObject { ["records"] = records }, Cancel);
        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        body.GetProperty("accepted").GetInt32().ShouldBe(6);

        // The job runs every second in the test platform; wait (bounded) for a pass to trim the trail.
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        while ((await AuditClient.CountAsync(platform, PlatformFixture.RetentionProbeTenant, marker + "%", Cancel)).Rows > 3)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "retention did not trim the probe tenant's trail to its 3-row cap");
            await Task.Delay(250, Cancel);
        }

        // The newest three stay; the old one and the two oldest recent ones are gone.
        foreach (var (index, kept) in new[] { (0, false), (1, false), (2, false), (3, true), (4, true), (5, true) })
        {
            (await AuditClient.CountAsync(platform, PlatformFixture.RetentionProbeTenant, marker + index, Cancel)).Rows.ShouldBe(kept ? 1 : 0, $"record {index}");
        }
    }
}
