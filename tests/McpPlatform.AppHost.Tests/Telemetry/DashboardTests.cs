using System.Text.Json;
using McpPlatform.AppHost.Tests.Knowledge;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>
/// The acceptance view of the platform pipeline: what the Aspire dashboard actually holds after
/// tool calls as contoso, read back through the dashboard's own telemetry API. Tool-call traces
/// and metrics are there (collector-platform forwarded them); contoso's identity is not.
/// </summary>
public sealed class DashboardTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ToolCallsAsContoso_ShowInTheDashboard_WithoutTenantIdentity()
    {
        await platform.WaitForHealthyAsync(PlatformServices.CollectorPlatform.ResourceName, PlatformServices.ToolsKnowledge.ResourceName);
        var canary = $"canary{Guid.NewGuid():N}";
        await using (var contoso = await KnowledgeClient.ContosoAsync(Cancel))
        {
            (await contoso.RawCallAsync(KnowledgeClient.ToolCallJson("whoami", "{}", $"{canary}-invocation"), Cancel)).Status.ShouldBe(200);
        }

        using var dashboard = new HttpClient { BaseAddress = platform.DashboardUrl, Timeout = TimeSpan.FromSeconds(30) };
        dashboard.DefaultRequestHeaders.Add("X-API-Key", DashboardApiKey(platform.DashboardUrl));

        // Forwarding is asynchronous: wait (bounded) for tools-knowledge's tool-call span.
        var service = PlatformServices.ToolsKnowledge.ResourceName;
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        string? spans;
        while ((spans = await GetAsync(dashboard, $"/api/telemetry/spans?resource={service}&limit=10000", unknownResourceIsEmpty: true)) is null
            || !spans.Contains("\"tools/call whoami\"", StringComparison.Ordinal))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"the dashboard never showed a tools/call span of {service}");
            await Task.Delay(500, Cancel);
        }

        using (var resources = JsonDocument.Parse((await GetAsync(dashboard, "/api/telemetry/resources"))!))
        {
            var knowledge = resources.RootElement.EnumerateArray().Single(r => r.GetProperty("name").GetString() == service);
            knowledge.GetProperty("hasTraces").GetBoolean().ShouldBeTrue();
            knowledge.GetProperty("hasMetrics").GetBoolean().ShouldBeTrue();
        }

        // Everything the dashboard holds, from every resource, carries none of contoso's identity.
        var everything = spans + await GetAsync(dashboard, "/api/telemetry/spans?limit=10000") + await GetAsync(dashboard, "/api/telemetry/logs?limit=10000");
        var canaries = ContosoCanaries.With(canary);
        canaries.Where(value => everything.Contains(value, StringComparison.OrdinalIgnoreCase))
            .Select(value => $"'{value}' near …{ContosoCanaries.Around(everything, value)}…").ShouldBeEmpty();
    }

    private static async Task<string?> GetAsync(HttpClient dashboard, string path, bool unknownResourceIsEmpty = false)
    {
        using var response = await dashboard.GetAsync(new Uri(path, UriKind.Relative), Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        if (unknownResourceIsEmpty && response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // The dashboard answers 404 for a resource it has not heard from yet.
            return null;
        }

        response.IsSuccessStatusCode.ShouldBeTrue($"GET {path}: {(int)response.StatusCode} {body}");
        return body;
    }

    // The AppHost generates the dashboard's telemetry API key and hands it to the dashboard
    // process only; read it there (the fixture's dashboard is the one with its public URL).
    internal static string DashboardApiKey(Uri url)
    {
        var seen = new List<string>();
        foreach (var (pid, _) in LocalProcesses.All().Where(p => p.CommandLine.Contains("Aspire.Dashboard", StringComparison.Ordinal)))
        {
            var environment = LocalProcesses.EnvironmentOf(pid);
            seen.Add(string.Join(", ", environment.Where(e => e.Contains("URL", StringComparison.Ordinal))));
            if (environment.Contains($"DASHBOARD__FRONTEND__PUBLICURL={url.GetLeftPart(UriPartial.Authority)}"))
            {
                return environment.Single(e => e.StartsWith("DASHBOARD__API__PRIMARYAPIKEY=", StringComparison.Ordinal)).Split('=', 2)[1];
            }
        }

        throw new InvalidOperationException($"No Aspire dashboard process serves {url}. Dashboards seen: [{string.Join(" | ", seen)}]");
    }
}
