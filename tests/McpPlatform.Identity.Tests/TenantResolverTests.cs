using McpPlatform.Core;
using McpPlatform.Identity.Tenancy;

namespace McpPlatform.Identity.Tests;

public sealed class TenantResolverTests
{
    private const string Org = "org-1";
    private static readonly PrincipalFacts _agent = new(PrincipalTypes.Agent, "agent-1", Org);
    private static readonly PrincipalFacts _user = new(PrincipalTypes.User, "user-1", Org);
    private static readonly PrincipalFacts _operator = new(PrincipalTypes.User, "op-1", OrganisationId: null);

    [Theory]
    [InlineData(TenancyModel.Organisation, PrincipalTypes.Agent, Org)]
    [InlineData(TenancyModel.Organisation, PrincipalTypes.User, Org)]
    [InlineData(TenancyModel.Agent, PrincipalTypes.Agent, "agent-1")]
    [InlineData(TenancyModel.Agent, PrincipalTypes.User, Org)]
    [InlineData(TenancyModel.User, PrincipalTypes.User, "user-1")]
    [InlineData(TenancyModel.User, PrincipalTypes.Agent, Org)]
    public void ResolveTenant_EachModelAndPrincipalType_PicksPrincipalOrOrganisation(TenancyModel model, string principalType, string expected)
    {
        var principal = principalType == PrincipalTypes.Agent ? _agent : _user;
        TenantResolver.ResolveTenant(model, principal).ShouldBe(expected);
    }

    [Fact]
    public void Resolve_OperatorWithoutOrganisation_HasNoTenant()
    {
        TenantResolver.Resolve(new TenancyOptions(), _operator).ShouldBeNull();
    }

    [Fact]
    public void Resolve_UserModelOperatorWithoutOrganisation_IsOwnTenant()
    {
        TenantResolver.Resolve(new TenancyOptions { Model = TenancyModel.User }, _operator)!.TenantId.ShouldBe("op-1");
    }

    // Every model × every scope × both principal types: the expected partition key.
    public static TheoryData<TenancyModel, TenancyScope, string, string> PartitionCases()
    {
        var data = new TheoryData<TenancyModel, TenancyScope, string, string>
        {
            { TenancyModel.Organisation, TenancyScope.Tenant, PrincipalTypes.Agent, Org },
            { TenancyModel.Organisation, TenancyScope.Organisation, PrincipalTypes.Agent, Org },
            { TenancyModel.Organisation, TenancyScope.Principal, PrincipalTypes.Agent, $"{Org}:agent-1" },
            { TenancyModel.Organisation, TenancyScope.Tenant, PrincipalTypes.User, Org },
            { TenancyModel.Organisation, TenancyScope.Organisation, PrincipalTypes.User, Org },
            { TenancyModel.Organisation, TenancyScope.Principal, PrincipalTypes.User, $"{Org}:user-1" },
            { TenancyModel.Agent, TenancyScope.Tenant, PrincipalTypes.Agent, "agent-1" },
            { TenancyModel.Agent, TenancyScope.Organisation, PrincipalTypes.Agent, Org },
            { TenancyModel.Agent, TenancyScope.Principal, PrincipalTypes.Agent, "agent-1" },
            { TenancyModel.Agent, TenancyScope.Tenant, PrincipalTypes.User, Org },
            { TenancyModel.Agent, TenancyScope.Organisation, PrincipalTypes.User, Org },
            { TenancyModel.Agent, TenancyScope.Principal, PrincipalTypes.User, $"{Org}:user-1" },
            { TenancyModel.User, TenancyScope.Tenant, PrincipalTypes.User, "user-1" },
            { TenancyModel.User, TenancyScope.Organisation, PrincipalTypes.User, Org },
            { TenancyModel.User, TenancyScope.Principal, PrincipalTypes.User, "user-1" },
            { TenancyModel.User, TenancyScope.Tenant, PrincipalTypes.Agent, Org },
            { TenancyModel.User, TenancyScope.Organisation, PrincipalTypes.Agent, Org },
            { TenancyModel.User, TenancyScope.Principal, PrincipalTypes.Agent, $"{Org}:agent-1" },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(PartitionCases))]
    public void Resolve_EveryModelAndHybridScope_GivesExpectedPartitions(
        TenancyModel model, TenancyScope scope, string principalType, string expected)
    {
        var principal = principalType == PrincipalTypes.Agent ? _agent : _user;

        // The scope under test goes to one partition at a time; the others stay at Tenant.
        var data = TenantResolver.Resolve(new TenancyOptions { Model = model, DataScope = scope }, principal)!;
        var quota = TenantResolver.Resolve(new TenancyOptions { Model = model, QuotaScope = scope }, principal)!;
        var audit = TenantResolver.Resolve(new TenancyOptions { Model = model, AuditScope = scope }, principal)!;

        data.DataPartition.ShouldBe(expected);
        quota.QuotaPartition.ShouldBe(expected);
        audit.AuditPartition.ShouldBe(expected);
        data.QuotaPartition.ShouldBe(data.TenantId);
        quota.AuditPartition.ShouldBe(quota.TenantId);
    }

    [Fact]
    public void Resolve_OrganisationModelQuotaPerPrincipal_NestsPrincipalInTenant()
    {
        var claims = TenantResolver.Resolve(
            new TenancyOptions { Model = TenancyModel.Organisation, QuotaScope = TenancyScope.Principal }, _user)!;

        claims.TenantId.ShouldBe(Org);
        claims.DataPartition.ShouldBe(Org);
        claims.QuotaPartition.ShouldBe($"{Org}:user-1");
        claims.AuditPartition.ShouldBe(Org);
    }
}
