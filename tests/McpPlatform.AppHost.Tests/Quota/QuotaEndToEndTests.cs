using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using McpPlatform.AppHost.Tests.Identity;
using McpPlatform.AppHost.Tests.Mcp;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;
using ModelContextProtocol.Client;

namespace McpPlatform.AppHost.Tests.Quota;

/// <summary>Admission through the real platform: tools-knowledge → quota → Redis.</summary>
public sealed class QuotaEndToEndTests(PlatformFixture platform)
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ContosoTightParallelLoop_GetsStructuredDenials_FabrikamAtTheSameTimeUnaffected()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName, PlatformServices.Quota.ResourceName);
        await using var contoso = await McpClientFactory.ConnectAsync(PlatformServices.ToolsKnowledge, await PlatformTokens.ContosoAgentAsync(Cancel), Cancel);
        await using var fabrikam = await McpClientFactory.ConnectAsync(PlatformServices.ToolsKnowledge, await PlatformTokens.FabrikamAgentAsync(Cancel), Cancel);

        // Contoso: 32 workers calling as fast as they can, 400 calls in all — far past its rate.
        var contosoResults = new System.Collections.Concurrent.ConcurrentBag<(ModelContextProtocol.Protocol.CallToolResult Result, TimeSpan Took)>();
        var remaining = 400;
        var flood = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var result = await contoso.CallToolAsync("whoami", cancellationToken: Cancel);
                contosoResults.Add((result, System.Diagnostics.Stopwatch.GetElapsedTime(started)));
            }
        }, Cancel)).ToList();

        // Fabrikam meanwhile: a steady caller well under its own limits.
        var fabrikamDenials = 0;
        for (var i = 0; i < 15; i++)
        {
            var result = await fabrikam.CallToolAsync("whoami", cancellationToken: Cancel);
            if (result.IsError == true)
            {
                fabrikamDenials++;
            }
            else
            {
                result.StructuredContent!.Value.GetProperty("tenantId").GetString().ShouldBe(DemoDirectory.FabrikamTenantId);
            }

            await Task.Delay(50, Cancel);
        }

        await Task.WhenAll(flood);

        fabrikamDenials.ShouldBe(0);
        var denials = contosoResults.Where(r => r.Result.IsError == true).ToList();
        denials.ShouldNotBeEmpty("a tight loop past the rate limit must be denied");
        contosoResults.Count(r => r.Result.IsError != true).ShouldBeGreaterThan(0);
        // Denial pacing: a loop that ignores retryAfterSeconds gets its repeated denials held for
        // at least half of it (docs/quotas.md); the first one comes at once.
        denials.Count(d => d.Took >= TimeSpan.FromMilliseconds(500)).ShouldBeGreaterThanOrEqualTo(denials.Count / 2, "repeated early denials are held");
        foreach (var denial in denials.Select(d => d.Result))
        {
            var error = denial.StructuredContent!.Value.GetProperty("error");
            error.GetProperty("code").GetString().ShouldBeOneOf(
                ReasonCodes.Rate, ReasonCodes.ConcurrencyTenant, ReasonCodes.ConcurrencyPrincipal);
            error.GetProperty("message").GetString().ShouldNotBeNullOrWhiteSpace();
            error.GetProperty("retryAfterSeconds").GetInt32().ShouldBeGreaterThan(0);
        }

        await WaitUntilAdmittedAsync(contoso);
    }

    [Fact]
    public async Task UsageApi_TenantAdmin_SeesOwnTenantOnlyAndNoCallLeftInFlight()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName, PlatformServices.Quota.ResourceName);
        await using (var contoso = await McpClientFactory.ConnectAsync(PlatformServices.ToolsKnowledge, await PlatformTokens.ContosoAgentAsync(Cancel), Cancel))
        {
            await WaitUntilAdmittedAsync(contoso);
        }

        var alice = (await IdentityClient.SignInWithPkceAsync(
            DemoDirectory.ContosoUserName, DemoSecrets.Get(DemoDirectory.Parameters.ContosoUserPassword),
            PlatformServices.Quota.LocalOrigin, Cancel, PlatformScopes.QuotaRead)).GetProperty("access_token").GetString()!;

        using (var own = await GetUsageAsync(alice, query: string.Empty))
        {
            var body = await own.Content.ReadAsStringAsync(Cancel);
            own.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            using var report = JsonDocument.Parse(body);
            report.RootElement.GetProperty("tenantId").GetString().ShouldBe(DemoDirectory.ContosoTenantId);
            report.RootElement.GetProperty("concurrency").GetProperty("inFlight").GetInt64().ShouldBe(0, "every admitted call was released");
            report.RootElement.GetProperty("tokensHour").GetProperty("used").GetDecimal().ShouldBeGreaterThanOrEqualTo(0);
        }

        using var other = await GetUsageAsync(alice, $"?tenant={DemoDirectory.FabrikamTenantId}");
        other.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AgentToken_CannotReadUsageOrAdmitDirectly()
    {
        await platform.WaitForHealthyAsync(PlatformServices.Quota.ResourceName);
        // An agent's token is for the MCP server, not quota; and agents are never granted quota:admit.
        var agentToken = await PlatformTokens.ContosoAgentAsync(Cancel);
        using var usage = await GetUsageAsync(agentToken, string.Empty);
        usage.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var (status, _) = await PlatformTokens.PostTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["resource"] = PlatformServices.Quota.LocalOrigin,
            ["scope"] = PlatformScopes.QuotaAdmit,
        }, DemoDirectory.ContosoAgentClientId, DemoSecrets.Get(DemoDirectory.Parameters.ContosoAgentSecret), Cancel);
        status.ShouldBe(HttpStatusCode.BadRequest);
    }

    private static async Task<HttpResponseMessage> GetUsageAsync(string bearer, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(PlatformServices.Quota.LocalUrl, "/v1/usage" + query));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await s_http.SendAsync(request, Cancel);
    }

    /// <summary>Buckets refill within seconds; wait (bounded) so later tests start from an admitting state.</summary>
    private static async Task WaitUntilAdmittedAsync(McpClient client)
    {
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        while ((await client.CallToolAsync("whoami", cancellationToken: Cancel)).IsError == true)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "admissions did not resume after the flood");
            await Task.Delay(250, Cancel);
        }
    }
}
