using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests;

/// <summary>
/// The AppHost hands quota and identity the committed policy document; both report the version
/// they enforce in <c>/health</c> (check <c>policy</c>, data <c>version</c>): the document's
/// <c>version</c> and the hash of its content.
/// </summary>
public sealed class PolicyHealthTests(PlatformFixture platform)
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Health_QuotaAndIdentity_ReportTheCommittedDocumentsVersion()
    {
        await platform.WaitForHealthyAsync(PlatformServices.Quota.ResourceName, PlatformServices.Identity.ResourceName);
        var text = await File.ReadAllTextAsync(Path.Combine(AppHostProcess.RepositoryRoot, "AppHost", PlatformPolicyFile.AppHostRelativePath), TestContext.Current.CancellationToken);
        var expected = "1-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];

        foreach (var service in new[] { PlatformServices.Quota, PlatformServices.Identity })
        {
            using var document = JsonDocument.Parse(await s_http.GetStringAsync(new Uri(service.LocalUrl, HealthEndpoints.Health), TestContext.Current.CancellationToken));
            var policy = document.RootElement.GetProperty("checks").EnumerateArray().Single(check => check.GetProperty("name").GetString() == "policy");
            policy.GetProperty("status").GetString().ShouldBe("Healthy", service.ResourceName);
            policy.GetProperty("data").GetProperty("version").GetString().ShouldBe(expected, service.ResourceName);
        }
    }
}
