using System.Security.Claims;
using McpPlatform.Core;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.McpServer.Tests;

public sealed class TenantContextTests
{
    private static ClaimsPrincipal Caller(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));

    private static ClaimsPrincipal ContosoAgent(params (string Type, string Value)[] extra) => Caller(
        [(PlatformClaims.TenantId, "tenant-a"), (PlatformClaims.Subject, "agent-1"), (PlatformClaims.PrincipalType, PrincipalTypes.Agent), .. extra]);

    [Fact]
    public void TryCreate_ClientInvocationId_IsKept()
    {
        var result = TenantContext.TryCreate(ContosoAgent(), "inv-42:a.b_c");

        result.Context.ShouldNotBeNull();
        result.Context.InvocationId.ShouldBe("inv-42:a.b_c");
        result.Context.TenantId.ShouldBe("tenant-a");
        result.Context.PrincipalId.ShouldBe("agent-1");
        result.Context.PrincipalType.ShouldBe(PrincipalTypes.Agent);
    }

    [Fact]
    public void TryCreate_NoClientInvocationId_GeneratesDistinctIds()
    {
        var first = TenantContext.TryCreate(ContosoAgent(), null).Context!;
        var second = TenantContext.TryCreate(ContosoAgent(), null).Context!;

        first.InvocationId.ShouldNotBeNullOrWhiteSpace();
        first.InvocationId.ShouldNotBe(second.InvocationId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("new\nline")]
    public void TryCreate_MalformedInvocationId_IsRefusedNotReplaced(string invocationId)
    {
        var result = TenantContext.TryCreate(ContosoAgent(), invocationId);

        result.Context.ShouldBeNull();
        result.ErrorCode.ShouldBe("request.invocation_id_invalid");
        result.ErrorMessage!.ShouldContain(McpConventions.InvocationIdMetaKey);
    }

    [Fact]
    public void TryCreate_InvocationIdTooLong_IsRefused()
    {
        var result = TenantContext.TryCreate(ContosoAgent(), new string('a', TenantContext.MaxInvocationIdLength + 1));

        result.ErrorCode.ShouldBe("request.invocation_id_invalid");
    }

    [Fact]
    public void TryCreate_NoTenant_IsRefused()
    {
        var result = TenantContext.TryCreate(Caller((PlatformClaims.Subject, "agent-1"), (PlatformClaims.PrincipalType, PrincipalTypes.Agent)), null);

        result.Context.ShouldBeNull();
        result.ErrorCode.ShouldBe("tenant.missing");
    }

    [Theory]
    [InlineData("service")]
    [InlineData("")]
    public void TryCreate_UnknownPrincipalType_IsRefused(string principalType)
    {
        var result = TenantContext.TryCreate(
            Caller((PlatformClaims.TenantId, "t"), (PlatformClaims.Subject, "s"), (PlatformClaims.PrincipalType, principalType)), null);

        result.ErrorCode.ShouldBe("principal.type_invalid");
    }

    [Fact]
    public void TryCreate_PartitionClaims_AreUsed()
    {
        var result = TenantContext.TryCreate(ContosoAgent(
            (PlatformClaims.DataPartition, "org-1"),
            (PlatformClaims.QuotaPartition, "org-1:agent-1"),
            (PlatformClaims.AuditPartition, "org-1:agent-1")), null);

        result.Context!.DataPartition.ShouldBe("org-1");
        result.Context.QuotaPartition.ShouldBe("org-1:agent-1");
        result.Context.AuditPartition.ShouldBe("org-1:agent-1");
    }

    [Fact]
    public void TryCreate_NoPartitionClaims_FallBackToTheTenantNeverWider()
    {
        var context = TenantContext.TryCreate(ContosoAgent(), null).Context!;

        context.DataPartition.ShouldBe("tenant-a");
        context.QuotaPartition.ShouldBe("tenant-a");
        context.AuditPartition.ShouldBe("tenant-a");
    }

    [Theory]
    [InlineData("mcp:tools", true)]
    [InlineData("openid mcp:tools offline_access", true)]
    [InlineData("mcp:toolsX", false)]
    [InlineData("openid", false)]
    public void HasScope_SpaceSeparatedScopeClaim_MatchesWholeScopesOnly(string scopeClaim, bool expected)
    {
        Caller((PlatformClaims.Scope, scopeClaim)).HasScope(PlatformScopes.McpTools).ShouldBe(expected);
    }
}
