using System.Security.Claims;
using System.Text.Json;
using McpPlatform.Core;
using McpPlatform.Secrets.Apis;
using McpPlatform.Secrets.Audit;
using McpPlatform.Secrets.Store;

namespace McpPlatform.Secrets.Tests;

public sealed class SecretAuditTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 2, 6, 0, 0, TimeSpan.Zero);
    private static readonly TenantCaller s_agent = new(DemoDirectory.ContosoTenantId, DemoDirectory.ContosoAgentClientId, PrincipalTypes.Agent,
        DemoDirectory.ContosoTenantId, DemoDirectory.ContosoTenantId, DemoDirectory.ContosoTenantId);

    [Fact]
    public void BuildRead_Granted_IsSuccessInTheCallersTrailWithNameServerToolInvocation()
    {
        var record = SecretAudit.BuildRead(s_agent,
            new SecretReadFacts("partner-api-key", "call_connection", DemoDirectory.ToolsWorkspaceClientId, "inv-42", null, 3, 1.5), "0af7651916cd43dd8448eb211c80319c", s_now);

        record.Kind.ShouldBe(AuditKinds.SecretRead);
        record.TenantId.ShouldBe(DemoDirectory.ContosoTenantId);
        record.PrincipalId.ShouldBe(DemoDirectory.ContosoAgentClientId);
        record.InvocationId.ShouldBe("inv-42");
        record.Tool.ShouldBe("call_connection");
        record.Outcome.ShouldBe(AuditOutcomes.Success);
        record.ReasonCode.ShouldBeNull();
        var detail = record.Detail!.Value;
        detail.GetProperty("secret").GetString().ShouldBe("partner-api-key");
        detail.GetProperty("actor").GetString().ShouldBe(DemoDirectory.ToolsWorkspaceClientId);
        detail.GetProperty("version").GetInt32().ShouldBe(3);
        record.Arguments.ShouldBeNull();
        record.ArgumentDigest.ShouldBeNull();
    }

    [Fact]
    public void BuildRead_RefusedWithUnusableInvocationId_IsDeniedWithAnAcceptableIdAndFlag()
    {
        var record = SecretAudit.BuildRead(s_agent,
            new SecretReadFacts("partner-api-key", "call_connection", null, "not valid; spaces", SecretErrorCodes.Denied, null, 0), null, s_now);

        record.Outcome.ShouldBe(AuditOutcomes.Denied);
        record.ReasonCode.ShouldBe(SecretErrorCodes.Denied);
        AuditLimits.IsInvocationId(record.InvocationId).ShouldBeTrue();
        record.Detail!.Value.GetProperty("invocationIdInvalid").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public void BuildChange_IsSuccessByTheUserWithActionAndNoTool()
    {
        var alice = s_agent with { PrincipalId = DemoDirectory.ContosoUserId, PrincipalType = PrincipalTypes.User };
        var record = SecretAudit.BuildChange(alice, "db-password", SecretAudit.Rotated, 2, null, s_now);

        record.Kind.ShouldBe(AuditKinds.SecretChange);
        record.PrincipalId.ShouldBe(DemoDirectory.ContosoUserId);
        record.Tool.ShouldBeNull();
        record.Outcome.ShouldBe(AuditOutcomes.Success);
        AuditLimits.IsInvocationId(record.InvocationId).ShouldBeTrue();
        record.Detail!.Value.GetProperty("action").GetString().ShouldBe("rotated");
    }

    [Fact]
    public void ReadAccess_ExchangedTokenFromAllowedServerForAllowedTool_IsAllowedOtherwiseNot()
    {
        var secret = new SecretMetadata("partner-api-key", ["tools-workspace"], ["call_connection"], 1, s_now, "alice", null, null);
        var exchanged = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(PlatformClaims.Scope, PlatformScopes.SecretsRead),
            new Claim(PlatformClaims.InvocationId, "inv-1"),
            new Claim(PlatformClaims.Actor, """{"sub":"tools-workspace","act":{"sub":"tools-knowledge"}}"""),
        ], "test"));
        var userToken = new ClaimsPrincipal(new ClaimsIdentity([new Claim(PlatformClaims.Scope, PlatformScopes.SecretsWrite)], "test"));

        var actor = ReadAccess.ActorOf(exchanged);
        actor.ShouldBe("tools-workspace");
        ReadAccess.IsReadToken(exchanged, actor).ShouldBeTrue();
        ReadAccess.Allows(secret, actor!, "call_connection").ShouldBeTrue();
        ReadAccess.Allows(secret, actor!, "other_tool").ShouldBeFalse();
        ReadAccess.Allows(secret, "tools-knowledge", "call_connection").ShouldBeFalse();
        ReadAccess.Allows(secret, "TOOLS-WORKSPACE", "call_connection").ShouldBeFalse();
        ReadAccess.IsReadToken(userToken, ReadAccess.ActorOf(userToken)).ShouldBeFalse();
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[\"tools-workspace\"]")]
    [InlineData("{\"sub\":42}")]
    [InlineData("{\"sub\":\"Tools Workspace\"}")]
    [InlineData("{}")]
    public void ActorOf_MalformedAct_IsNoActor(string act)
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(PlatformClaims.Actor, act)], "test"));
        ReadAccess.ActorOf(user).ShouldBeNull();
    }

    [Fact]
    public void SecretMetadata_SerializesWithoutAnyValueField()
    {
        var secret = new SecretMetadata("n", ["s"], ["t"], 1, s_now, "alice", null, null);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(secret, SecretsJsonContext.Default.SecretMetadata));

        json.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(
            ["name", "allowedServers", "allowedTools", "version", "createdAt", "createdBy", "rotatedAt", "rotatedBy"], ignoreOrder: true);
    }
}
