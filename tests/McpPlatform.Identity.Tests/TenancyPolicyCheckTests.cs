using McpPlatform.Core;
using McpPlatform.Identity.Tenancy;
using McpPlatform.Policy;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Identity.Tests;

/// <summary>
/// Identity reads the tenancy setting from the platform policy document; a reload whose tenancy
/// differs from the pinned one is refused, naming both, and the pinned one stays in force.
/// </summary>
public sealed class TenancyPolicyCheckTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mcpplatform-identity-policy-").FullName;

    private string DocumentPath => Path.Combine(_folder, "platform-policy.yaml");

    [Fact]
    public void Reload_DifferentTenancy_IsRefusedNamingBothSettings_PinnedStays()
    {
        var demo = File.ReadAllText(DemoDocumentPath());
        File.WriteAllText(DocumentPath, demo);
        using var source = new PolicySource(Options.Create(new PolicyOptions { Path = DocumentPath }), [new TenancyPolicyCheck()], NullLogger<PolicySource>.Instance);
        var pinned = source.Current.Tenancy.Describe();

        File.WriteAllText(DocumentPath, demo.Replace("  quotaScope: Tenant", "  quotaScope: Principal", StringComparison.Ordinal));
        source.Refresh().ShouldBeFalse();

        var error = source.RefusedErrors.ShouldNotBeNull().ShouldHaveSingleItem();
        error.Path.ShouldBe("$.tenancy");
        error.Rule.ShouldBe("tenancy.pinned");
        error.Message.ShouldContain(pinned);
        error.Message.ShouldContain(new TenancyOptions { QuotaScope = TenancyScope.Principal }.Describe());
        error.Message.ShouldContain("docs/tenancy.md");
        source.Current.Tenancy.Describe().ShouldBe(pinned);
    }

    [Fact]
    public void Reload_SameTenancyOtherChanges_IsApplied()
    {
        var demo = File.ReadAllText(DemoDocumentPath());
        File.WriteAllText(DocumentPath, demo);
        using var source = new PolicySource(Options.Create(new PolicyOptions { Path = DocumentPath }), [new TenancyPolicyCheck()], NullLogger<PolicySource>.Instance);

        File.WriteAllText(DocumentPath, demo.Replace("    tenantConcurrency: 16\n", "    tenantConcurrency: 12\n", StringComparison.Ordinal));

        source.Refresh().ShouldBeTrue();
    }

    [Fact]
    public void Apply_CopiesTheDocumentsTenancy()
    {
        var options = new TenancyOptions();
        var result = PolicyDocumentReader.Read("""{"version": 1, "tenancy": {"model": "Agent", "auditScope": "Principal"}, "defaultTier": "t", "tiers": {"t": {}}}""");

        TenancyPolicyCheck.Apply(result.Policy.ShouldNotBeNull(), options);

        options.Describe().ShouldBe(new TenancyOptions { Model = TenancyModel.Agent, AuditScope = TenancyScope.Principal }.Describe());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string DemoDocumentPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpPlatform.sln")))
            {
                return Path.Combine(directory.FullName, "AppHost", PlatformPolicyFile.AppHostRelativePath);
            }
        }

        throw new InvalidOperationException($"No McpPlatform.sln above {AppContext.BaseDirectory}.");
    }
}
