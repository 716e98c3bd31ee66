using McpPlatform.Core;
using McpPlatform.Identity.Tenancy;

namespace McpPlatform.Identity.Tests;

public sealed class TenancyPinningTests
{
    [Fact]
    public void DescribeDrift_SameSetting_IsNull()
    {
        var setting = new TenancyOptions { Model = TenancyModel.Agent, QuotaScope = TenancyScope.Principal }.Describe();
        TenancyPinning.DescribeDrift(setting, setting).ShouldBeNull();
    }

    [Fact]
    public void DescribeDrift_DifferentModel_NamesBothSettingsAndMigrationPath()
    {
        var pinned = new TenancyOptions { Model = TenancyModel.Organisation }.Describe();
        var configured = new TenancyOptions { Model = TenancyModel.User }.Describe();

        var message = TenancyPinning.DescribeDrift(pinned, configured);

        message.ShouldNotBeNull();
        message.ShouldContain(pinned);
        message.ShouldContain(configured);
        message.ShouldContain("docs/tenancy.md");
        message.ShouldContain("Changing the tenancy model");
    }

    [Theory]
    [InlineData(TenancyScope.Organisation, TenancyScope.Tenant, TenancyScope.Tenant)]
    [InlineData(TenancyScope.Tenant, TenancyScope.Principal, TenancyScope.Tenant)]
    [InlineData(TenancyScope.Tenant, TenancyScope.Tenant, TenancyScope.Principal)]
    public void DescribeDrift_OnlyHybridScopeChanged_IsDrift(TenancyScope data, TenancyScope quota, TenancyScope audit)
    {
        var pinned = new TenancyOptions().Describe();
        var configured = new TenancyOptions { DataScope = data, QuotaScope = quota, AuditScope = audit }.Describe();

        TenancyPinning.DescribeDrift(pinned, configured).ShouldNotBeNull();
    }
}
