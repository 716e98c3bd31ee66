using McpPlatform.Core;
using McpPlatform.Policy.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Policy.Tests;

/// <summary>The file source: load at start, refuse an invalid edit whole, apply a valid one, report the version.</summary>
public sealed class PolicySourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mcpplatform-policy-tests-").FullName;

    private string DocumentPath => Path.Combine(_folder, "platform-policy.yaml");

    [Fact]
    public void Start_InvalidDocument_ThrowsListingEveryError()
    {
        File.WriteAllText(DocumentPath, PolicyFiles.DemoWith("defaultTier: standard", "defaultTier: basic")
            .Replace("    name: contoso\n    tier: standard\n", "    name: contoso\n    tier: gold\n", StringComparison.Ordinal));

        var exception = Should.Throw<PolicyInvalidException>(() => NewSource());

        exception.Errors.Select(error => error.Rule).ShouldBe(["tier.unknown", "tier.unknown"]);
        exception.Message.ShouldContain("$.defaultTier");
        exception.Message.ShouldContain($"$.tenants['{DemoDirectory.ContosoTenantId}'].tier");
        exception.Message.ShouldContain(DocumentPath);
    }

    [Fact]
    public void Start_MissingFileOrPath_Throws()
    {
        Should.Throw<PolicyInvalidException>(() => NewSource()).Errors.ShouldHaveSingleItem().Rule.ShouldBe("document.unreadable");
        Should.Throw<PolicyInvalidException>(() => new PolicySource(Options.Create(new PolicyOptions()), [], NullLogger<PolicySource>.Instance))
            .Message.ShouldContain("Policy:Path");
    }

    [Fact]
    public void Refresh_InvalidEdit_IsRefusedAndTheLastGoodVersionStays()
    {
        File.WriteAllText(DocumentPath, PolicyFiles.DemoDocument());
        using var source = NewSource();
        var good = source.Version;
        var token = source.GetChangeToken();

        File.WriteAllText(DocumentPath, PolicyFiles.DemoWith("version: 1", "version: 2").Replace("    tenantConcurrency: 16\n", "    tenantConcurrency: -5\n", StringComparison.Ordinal));

        source.Refresh().ShouldBeFalse();
        source.Version.ShouldBe(good);
        source.Current.Tiers["standard"].TenantConcurrency.ShouldBe(16);
        source.RefusedErrors.ShouldNotBeNull().ShouldHaveSingleItem().Path.ShouldBe("$.tiers.standard.tenantConcurrency");
        token.HasChanged.ShouldBeFalse();
        source.Refresh().ShouldBeFalse("the same refused content is not judged (or logged) again");
    }

    [Fact]
    public void Refresh_ValidEdit_IsAppliedAndSignalled()
    {
        File.WriteAllText(DocumentPath, PolicyFiles.DemoDocument());
        using var source = NewSource();
        var token = source.GetChangeToken();

        File.WriteAllText(DocumentPath, PolicyFiles.DemoWith("version: 1", "version: 2").Replace("    tenantConcurrency: 16\n", "    tenantConcurrency: 4\n", StringComparison.Ordinal));

        source.Refresh().ShouldBeTrue();
        source.Version.ShouldStartWith("2-");
        source.Current.Tiers["standard"].TenantConcurrency.ShouldBe(4);
        source.RefusedErrors.ShouldBeNull();
        token.HasChanged.ShouldBeTrue();
        source.Refresh().ShouldBeFalse("unchanged content applies nothing");
    }

    [Fact]
    public void Refresh_AfterARefusal_AValidEditIsAppliedAndClearsTheRefusal()
    {
        File.WriteAllText(DocumentPath, PolicyFiles.DemoDocument());
        using var source = NewSource();
        File.WriteAllText(DocumentPath, "tiers: [unclosed");
        source.Refresh().ShouldBeFalse();
        source.RefusedErrors.ShouldNotBeNull();

        File.WriteAllText(DocumentPath, PolicyFiles.DemoWith("version: 1", "version: 3"));

        source.Refresh().ShouldBeTrue();
        source.Version.ShouldStartWith("3-");
        source.RefusedErrors.ShouldBeNull();
    }

    [Fact]
    public void Refresh_FileGone_KeepsTheLastGoodVersion()
    {
        File.WriteAllText(DocumentPath, PolicyFiles.DemoDocument());
        using var source = NewSource();
        var good = source.Version;
        File.Delete(DocumentPath);

        source.Refresh().ShouldBeFalse();

        source.Version.ShouldBe(good);
    }

    [Fact]
    public void Refresh_ServiceCheckRefusesTheEdit_TheLastGoodVersionStays()
    {
        File.WriteAllText(DocumentPath, PolicyFiles.DemoDocument());
        using var source = NewSource(new TierCountMayNotChange());
        var good = source.Version;

        File.WriteAllText(DocumentPath, PolicyFiles.DemoWith("    failOpen: false\n\n# The seeded demo tenants", "    failOpen: false\n  gold:\n    tenantConcurrency: 1\n\n# The seeded demo tenants"));

        source.Refresh().ShouldBeFalse();
        source.RefusedErrors.ShouldNotBeNull().ShouldHaveSingleItem().Rule.ShouldBe("test.tiers_fixed");
        source.Version.ShouldBe(good);
    }

    [Fact]
    public async Task HealthCheck_ReportsTheVersionInForce_DegradedWhileAnEditIsRefused()
    {
        File.WriteAllText(DocumentPath, PolicyFiles.DemoDocument());
        using var source = NewSource();
        var check = new PolicyHealthCheck(source);

        var healthy = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
        File.WriteAllText(DocumentPath, "version: 0\n");
        source.Refresh();
        var degraded = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        healthy.Status.ShouldBe(HealthStatus.Healthy);
        healthy.Data["version"].ShouldBe(source.Version);
        degraded.Status.ShouldBe(HealthStatus.Degraded);
        degraded.Data["version"].ShouldBe(source.Version);
    }

    [Fact]
    public async Task AddPlatformPolicy_WatcherAppliesAnEdit_OptionsFromPolicyFollowWithinSeconds()
    {
        File.WriteAllText(DocumentPath, PolicyFiles.DemoDocument());
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [PlatformPolicyFile.ConfigurationKey] = DocumentPath,
            ["Policy:PollInterval"] = "00:00:00.100",
        });
        builder.AddPlatformPolicy();
        builder.Services.AddOptionsFromPolicy<DefaultTierOptions>((policy, options) => options.Cap = policy.Tiers[policy.DefaultTier].TenantConcurrency);
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        var monitor = host.Services.GetRequiredService<IOptionsMonitor<DefaultTierOptions>>();
        monitor.CurrentValue.Cap.ShouldBe(16);

        File.WriteAllText(DocumentPath, PolicyFiles.DemoWith("    tenantConcurrency: 16\n", "    tenantConcurrency: 5\n"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (monitor.CurrentValue.Cap != 5)
        {
            await Task.Delay(50, timeout.Token);
        }

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        report.Entries[PolicyHealthCheck.Name].Data["version"].ShouldBe(host.Services.GetRequiredService<PolicySource>().Version);
        report.Entries[PolicyHealthCheck.Name].Tags.ShouldBe([HealthEndpoints.DetailsTag, HealthEndpoints.DataTag], ignoreOrder: true);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AddPlatformPolicy_InvalidDocumentAtStart_HostDoesNotStart()
    {
        File.WriteAllText(DocumentPath, "version: 1\n");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[PlatformPolicyFile.ConfigurationKey] = DocumentPath;
        builder.AddPlatformPolicy();
        using var host = builder.Build();

        var exception = await Should.ThrowAsync<PolicyInvalidException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        exception.Errors.ShouldContain(error => error.Rule == "schema.required");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private PolicySource NewSource(params IPolicyCheck[] checks) =>
        new(Options.Create(new PolicyOptions { Path = DocumentPath }), checks, NullLogger<PolicySource>.Instance);

    private sealed class DefaultTierOptions
    {
        public int? Cap { get; set; }
    }

    private sealed class TierCountMayNotChange : IPolicyCheck
    {
        public IEnumerable<PolicyError> Check(PlatformPolicy candidate, PlatformPolicy? current) =>
            current is not null && !candidate.Tiers.Keys.Order().SequenceEqual(current.Tiers.Keys.Order())
                ? [new PolicyError("$.tiers", "test.tiers_fixed", "This test's service cannot take new tiers.")]
                : [];
    }
}
