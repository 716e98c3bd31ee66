using McpPlatform.Core;
using McpPlatform.Policy.Model;

namespace McpPlatform.Policy.Tests;

public sealed class PolicyDocumentReaderTests
{
    private const string Contoso = DemoDirectory.ContosoTenantId;

    [Fact]
    public void DemoDocument_IsValid_WithTheDemoTenantsTiersAndEveryTool()
    {
        var result = PolicyDocumentReader.Read(PolicyFiles.DemoDocument());

        result.Errors.ShouldBeEmpty(string.Join(Environment.NewLine, result.Errors));
        result.IsValid.ShouldBeTrue();
        result.Version.ShouldNotBeNull().ShouldMatch("^1-[0-9a-f]{8}$");
        var policy = result.Policy!;
        policy.Tenancy.Describe().ShouldBe(new TenancyOptions().Describe());
        policy.Tiers.Keys.ShouldBe(["standard", "premium"], ignoreOrder: true);
        policy.Tiers["standard"].TenantConcurrency.ShouldBe(16);
        policy.Tenants.Keys.ShouldBe([DemoDirectory.ContosoTenantId, DemoDirectory.FabrikamTenantId], ignoreOrder: true);
        foreach (var tier in policy.Tiers.Keys)
        {
            foreach (var (server, tools) in PlatformToolInventory.ByServer)
            {
                policy.Tools!.Tiers[tier][server].ShouldBe(tools, ignoreOrder: true, $"tier {tier} allows every tool of {server} today");
            }
        }
    }

    [Fact]
    public void EmbeddedSchema_IsTheFileCommittedBesideTheDocument()
    {
        PolicySchema.Text().ShouldBe(File.ReadAllText(PolicyFiles.SchemaPath));
    }

    [Fact]
    public void Read_SchemaErrors_ListsEveryOneWithPathAndRule()
    {
        var text = PolicyFiles.DemoWith("    tenantConcurrency: 16\n", "    tenantConcurrency: \"16\"\n")
            .Replace("    leaseTtlSeconds: 120\n    failOpen: false\n  premium:", "    leaseTtlSeconds: 0\n    failOpen: false\n  premium:", StringComparison.Ordinal)
            .Replace("perCall:", "perCalls:", StringComparison.Ordinal)
            .Replace("  model: Organisation", "  model: Galaxy", StringComparison.Ordinal);

        var result = PolicyDocumentReader.Read(text);

        result.IsValid.ShouldBeFalse();
        result.Policy.ShouldBeNull();
        var errors = result.Errors.Select(error => (error.Path, error.Rule)).ToList();
        errors.ShouldContain(("$.tiers.standard.tenantConcurrency", "schema.type"), Describe(result));
        errors.ShouldContain(("$.tiers.standard.leaseTtlSeconds", "schema.minimum"), Describe(result));
        errors.ShouldContain(("$.perCalls", "schema.additionalProperties"), Describe(result));
        errors.ShouldContain(("$.tenancy.model", "schema.enum"), Describe(result));
        result.Errors.ShouldAllBe(error => error.Message.Length > 0);
    }

    [Fact]
    public void Read_MissingRequiredSection_IsListed()
    {
        var result = PolicyDocumentReader.Read("version: 1\ndefaultTier: standard\ntiers:\n  standard: {}\n");

        result.Errors.ShouldContain(error => error.Path == "$" && error.Rule == "schema.required", Describe(result));
    }

    [Fact]
    public void Read_UnknownTier_IsListedWithItsPath()
    {
        var result = PolicyDocumentReader.Read(PolicyFiles.DemoWith("    name: contoso\n    tier: standard\n", "    name: contoso\n    tier: gold\n"));

        result.IsValid.ShouldBeFalse();
        var error = result.Errors.ShouldHaveSingleItem();
        error.Path.ShouldBe($"$.tenants['{Contoso}'].tier");
        error.Rule.ShouldBe("tier.unknown");
        error.Message.ShouldContain("gold");
    }

    [Fact]
    public void Read_ToolNoServerHas_IsListedWithItsPath()
    {
        var result = PolicyDocumentReader.Read(PolicyFiles.DemoWith(
            "      tools-workspace: [whoami, list_connections, call_connection, run_script]\n    premium:",
            "      tools-workspace: [whoami, format_disk, call_connection, run_script]\n    premium:"));

        var error = result.Errors.ShouldHaveSingleItem();
        error.Path.ShouldBe("$.tools.tiers.standard['tools-workspace'][1]");
        error.Rule.ShouldBe("tool.unknown");
        error.Message.ShouldContain("format_disk");
    }

    [Fact]
    public void Read_ToolOfAnotherServer_IsUnknownThere()
    {
        var result = PolicyDocumentReader.Read(PolicyFiles.DemoWith(
            "        tools-workspace: [call_connection, run_script]",
            "        tools-workspace: [call_connection, search_knowledge]"));

        var error = result.Errors.ShouldHaveSingleItem();
        error.Path.ShouldBe("$.credentials.secrets[0].readers['tools-workspace'][1]");
        error.Rule.ShouldBe("tool.unknown");
    }

    [Fact]
    public void Read_SeveralErrorsAtOnce_ListsEveryOne()
    {
        var text = PolicyFiles.DemoWith("defaultTier: standard", "defaultTier: basic")
            .Replace("    name: contoso\n    tier: standard\n", "    name: contoso\n    tier: gold\n", StringComparison.Ordinal)
            .Replace("  egress:", "    - name: partner-api-key\n      readers:\n        tools-billing: [charge]\n  egress:", StringComparison.Ordinal)
            .Replace("    standard: 90\n", "    silver: 90\n", StringComparison.Ordinal);

        var result = PolicyDocumentReader.Read(text);

        result.Errors.Select(error => (error.Path, error.Rule)).ShouldBe(
        [
            ("$.defaultTier", "tier.unknown"),
            ($"$.tenants['{Contoso}'].tier", "tier.unknown"),
            ("$.credentials.secrets[1].name", "secret.duplicate"),
            ("$.credentials.secrets[1].readers['tools-billing']", "server.unknown"),
            ("$.telemetry.auditRetentionDays.silver", "tier.unknown"),
        ], ignoreOrder: true, Describe(result));
    }

    [Fact]
    public void Read_ServiceCheck_ErrorsAreListedBesideTheSharedRules()
    {
        var result = PolicyDocumentReader.Read(PolicyFiles.DemoWith("defaultTier: standard", "defaultTier: basic"), [new NoPremiumCheck()]);

        result.Errors.Select(error => error.Rule).ShouldBe(["tier.unknown", "test.no_premium"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("tiers: [unclosed", "yaml.syntax")]
    [InlineData("version: 1\nversion: 2\n", "yaml.duplicate_key")]
    [InlineData("", "document.empty")]
    [InlineData("version: 1\n---\nversion: 2\n", "yaml.documents")]
    [InlineData("- just\n- a list\n", "schema.type")]
    public void Read_NotAPolicyDocument_GivesAnErrorNotAnException(string text, string rule)
    {
        var result = PolicyDocumentReader.Read(text);

        result.IsValid.ShouldBeFalse();
        result.Errors.ShouldContain(error => error.Rule == rule, Describe(result));
    }

    [Fact]
    public void Read_SameVersionDifferentContent_GivesDifferentEffectiveVersions()
    {
        var before = PolicyDocumentReader.Read(PolicyFiles.DemoDocument());
        var after = PolicyDocumentReader.Read(PolicyFiles.DemoWith("    tenantConcurrency: 16\n", "    tenantConcurrency: 17\n"));

        after.IsValid.ShouldBeTrue();
        after.Version.ShouldStartWith("1-");
        after.Version.ShouldNotBe(before.Version);
    }

    [Fact]
    public void Read_JsonDocument_IsReadAsYaml()
    {
        var result = PolicyDocumentReader.Read("""{"version": 3, "tenancy": {"model": "User"}, "defaultTier": "basic", "tiers": {"basic": {"tenantConcurrency": 2}}}""");

        result.Errors.ShouldBeEmpty();
        result.Policy!.Tenancy.Model.ShouldBe(TenancyModel.User);
        result.Policy.Tiers["basic"].TenantConcurrency.ShouldBe(2);
    }

    private static string Describe(PolicyReadResult result) => string.Join(Environment.NewLine, result.Errors);

    private sealed class NoPremiumCheck : IPolicyCheck
    {
        public IEnumerable<PolicyError> Check(PlatformPolicy candidate, PlatformPolicy? current) =>
            candidate.Tiers.ContainsKey("premium") ? [new PolicyError("$.tiers.premium", "test.no_premium", "This test's service refuses a premium tier.")] : [];
    }
}
