using System.Text.Json;
using McpPlatform.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.ServiceDefaults.Tests;

/// <summary><c>/health</c> shows a check's data only when the check is tagged for it (e.g. the policy version).</summary>
public sealed class HealthReportWriterTests
{
    [Fact]
    public async Task Health_DataTaggedCheck_ShowsItsData_OthersShowNone()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHealthChecks()
            .AddCheck("published", () => HealthCheckResult.Healthy("Version 7 is in force.", new Dictionary<string, object> { ["version"] = "7-0123abcd" }),
                [HealthEndpoints.DetailsTag, HealthEndpoints.DataTag])
            .AddCheck("private", () => HealthCheckResult.Healthy("hidden description", new Dictionary<string, object> { ["secret"] = "hidden value" }));
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var text = await http.GetStringAsync(HealthEndpoints.Health, TestContext.Current.CancellationToken);

        using var document = JsonDocument.Parse(text);
        var checks = document.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(check => check.GetProperty("name").GetString()!);
        checks["published"].GetProperty("data").GetProperty("version").GetString().ShouldBe("7-0123abcd");
        checks["published"].GetProperty("description").GetString().ShouldBe("Version 7 is in force.");
        checks["private"].TryGetProperty("data", out _).ShouldBeFalse();
        text.ShouldNotContain("hidden");
        await app.StopAsync(TestContext.Current.CancellationToken);
    }
}
